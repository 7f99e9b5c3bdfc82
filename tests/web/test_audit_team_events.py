"""Changes to a team record themselves with the change: the same event, whichever edge (a page,
the API, the command line) made it, and nothing for a refused change."""

import pytest

from tests.web.audit_rows import events
from tests.web.teams_world import World, build_world, signed_in


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def team_events(world: World) -> list[tuple[str, str, int | None, str]]:
    """(action, actor, team, target) of every team event after the world's setup."""
    return [
        (event["action"], event["actor_name"], event["team_id"], event["target"])
        for event in events(world.app)
        if event["action"].split(".")[0] in ("team", "member", "invitation")
        and event["actor_name"] != "test setup"
    ]


def test_the_api_records_each_change_to_a_team(world):
    team, ids = world.team_id, world.ids
    url = f"/api/v1/teams/{team}"
    assert world.call("bob", "PATCH", f"{url}/members/{ids['dan']}", json={"role": "analyst"})
    first = world.call("bob", "POST", f"{url}/invitations", json={"role": "viewer"}).json
    world.call("bob", "DELETE", f"{url}/invitations/{first['id']}")
    second = world.call("bob", "POST", f"{url}/invitations", json={"role": "viewer"}).json
    assert world.call("eve", "POST", f"/api/v1/invitations/{second['code']}/accept").status_code
    world.call("bob", "DELETE", f"{url}/members/{ids['eve']}")
    world.call("cleo", "DELETE", f"{url}/members/{ids['cleo']}")
    refused = world.call("cleo", "PATCH", f"{url}/members/{ids['dan']}", json={"role": "viewer"})
    assert refused.status_code == 404  # cleo left: nothing more is recorded for her
    created = world.call("eve", "POST", "/api/v1/teams", json={"name": "Lab"}).json

    assert team_events(world) == [
        ("member.role_changed", "bob", team, f'user {ids["dan"]} "dan" to analyst'),
        ("invitation.created", "bob", team, f"invitation {first['id']} as viewer"),
        ("invitation.revoked", "bob", team, f"invitation {first['id']} as viewer"),
        ("invitation.created", "bob", team, f"invitation {second['id']} as viewer"),
        ("invitation.accepted", "eve", team, "joined as viewer"),
        ("member.removed", "bob", team, f'user {ids["eve"]} "eve"'),
        ("member.left", "cleo", team, f'user {ids["cleo"]} "cleo"'),
        ("team.created", "eve", created["id"], f'team {created["id"]} "Lab"'),
    ]


def test_the_pages_record_the_same_events_as_the_api(world):
    team, ids = world.team_id, world.ids
    bob = signed_in(world, "bob")
    here = f"/teams/{team}"
    bob.post(f"{here}/members/{ids['dan']}/role", {"role": "analyst"}, here)
    bob.post(f"{here}/members/{ids['cleo']}/remove", {})
    signed_in(world, "dan").post(f"{here}/leave", {})
    ada = signed_in(world, "ada")
    ada.post(f"{here}/transfer?user_id={ids['bob']}", {})
    ada.post("/teams", {"name": "Lab"})

    assert [event[:3] for event in team_events(world)][:5] == [
        ("member.role_changed", "bob", team),
        ("member.removed", "bob", team),
        ("member.left", "dan", team),
        ("team.ownership_transferred", "ada", team),
        ("team.created", "ada", team + 1),
    ]
    targets = [event[3] for event in team_events(world)]
    assert targets[:4] == [
        f'user {ids["dan"]} "dan" to analyst',
        f'user {ids["cleo"]} "cleo"',
        f'user {ids["dan"]} "dan"',
        f'user {ids["bob"]} "bob"',
    ]
    for event in events(world.app):
        if event["actor_name"] in ("ada", "bob", "dan"):
            assert event["ip"] == "127.0.0.1"


def test_the_command_line_records_a_team_and_a_member_it_adds(world, runner):
    assert runner.invoke(["teams", "create", "Ops", "--owner", "ada"]).exit_code == 0
    assert runner.invoke(["teams", "add-member", "Ops", "eve", "--role", "viewer"]).exit_code == 0
    recorded = [(action, actor, target) for action, actor, _, target in team_events(world)]
    assert recorded[0][:2] == ("team.created", "command line")
    assert recorded[1] == (
        "member.added",
        "command line",
        f'user {world.ids["eve"]} "eve" as viewer',
    )
