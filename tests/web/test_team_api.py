"""The team API: teams, members and the rules of roles, as a client sees them."""

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import Membership, Role, Team
from tests.web.teams_world import World, build_world, memberships


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def code_of(response) -> str:
    assert response.is_json, response.data
    assert response.json["error"]["message"]
    return response.json["error"]["code"]


def test_create_a_team_and_list_mine(world):
    response = world.call("eve", "POST", "/api/v1/teams", json={"name": "  Night   shift "})
    assert response.status_code == 201
    assert response.json["name"] == "Night shift" and response.json["role"] == "owner"
    team_id = response.json["id"]
    assert world.role_of("eve", team_id) == Role.OWNER
    listed = world.call("eve", "GET", "/api/v1/teams").json["teams"]
    assert [(team["name"], team["role"], team["personal"]) for team in listed] == [
        ("eve", "owner", True),
        ("Night shift", "owner", False),
    ]
    listed = world.call("dan", "GET", "/api/v1/teams").json["teams"]
    assert ("Care", "viewer") in [(team["name"], team["role"]) for team in listed]


@pytest.mark.parametrize("body", [{"name": ""}, {"name": " "}, {"name": "x" * 81}, {"name": 5}, {}])
def test_a_team_needs_a_name(world, body):
    response = world.call("eve", "POST", "/api/v1/teams", json=body)
    assert response.status_code == 400
    assert code_of(response) in {"invalid_name", "unknown_field"}
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 6  # 5 personal + Care


def test_members_are_listed_to_members_only(world):
    response = world.call("dan", "GET", f"/api/v1/teams/{world.team_id}/members")
    assert response.status_code == 200
    listed = [(member["username"], member["role"]) for member in response.json["members"]]
    assert listed == [("ada", "owner"), ("bob", "admin"), ("cleo", "analyst"), ("dan", "viewer")]
    assert world.call("eve", "GET", f"/api/v1/teams/{world.team_id}/members").status_code == 404
    assert world.call("ada", "GET", "/api/v1/teams/999999/members").status_code == 404


def change(world: World, who: str, target: str, role: str):
    url = f"/api/v1/teams/{world.team_id}/members/{world.ids[target]}"
    return world.call(who, "PATCH", url, json={"role": role})


def test_an_admin_manages_members_below_owner(world):
    response = change(world, "bob", "dan", "analyst")
    assert response.status_code == 200
    assert response.json["role"] == "analyst" and response.json["username"] == "dan"
    assert world.role_of("dan") == Role.ANALYST
    assert change(world, "bob", "cleo", "admin").status_code == 200
    assert world.role_of("cleo") == Role.ADMIN


@pytest.mark.parametrize(
    ("who", "target", "role", "status"),
    [
        ("bob", "dan", "owner", 403),  # an admin makes no owners
        ("bob", "ada", "viewer", 403),  # nor unmakes them
        ("bob", "bob", "owner", 403),  # nor promotes themselves
        ("cleo", "dan", "analyst", 403),  # an analyst manages nobody
        ("dan", "dan", "admin", 403),
        ("eve", "dan", "admin", 404),  # a stranger learns nothing
        ("ada", "eve", "viewer", 404),  # not a member
    ],
)
def test_role_changes_that_are_refused(world, who, target, role, status):
    before = memberships(world.app, world.team_id)
    response = change(world, who, target, role)
    assert response.status_code == status
    assert code_of(response) == {403: "forbidden", 404: "not_found"}[status]
    assert memberships(world.app, world.team_id) == before


def test_role_must_be_known(world):
    response = change(world, "ada", "dan", "boss")
    assert response.status_code == 400 and code_of(response) == "invalid_role"
    assert world.role_of("dan") == Role.VIEWER


def test_only_an_owner_makes_owners_and_the_last_owner_stays(world):
    response = change(world, "ada", "ada", "admin")
    assert response.status_code == 409 and code_of(response) == "last_owner"
    assert "keeps an owner" in response.json["error"]["message"]
    assert change(world, "ada", "bob", "owner").status_code == 200
    assert change(world, "ada", "ada", "admin").status_code == 200  # bob owns it now
    assert world.role_of("ada") == Role.ADMIN
    response = change(world, "bob", "bob", "analyst")
    assert response.status_code == 409 and world.role_of("bob") == Role.OWNER


def test_the_last_owner_cannot_be_removed_or_leave(world):
    url = f"/api/v1/teams/{world.team_id}/members/{world.ids['ada']}"
    response = world.call("ada", "DELETE", url)
    assert response.status_code == 409 and code_of(response) == "last_owner"
    response = world.call("bob", "DELETE", url)
    assert response.status_code == 403  # an admin removes no owner
    assert world.role_of("ada") == Role.OWNER


def test_an_admin_removes_a_member_whose_token_then_sees_nothing(world):
    members = f"/api/v1/teams/{world.team_id}/members"
    assert world.call("dan", "GET", members).status_code == 200  # cached now
    response = world.call("bob", "DELETE", f"{members}/{world.ids['dan']}")
    assert response.status_code == 204
    assert world.role_of("dan") is None
    assert world.call("dan", "GET", members).status_code == 404
    assert world.call("bob", "DELETE", f"{members}/{world.ids['dan']}").status_code == 404


def test_a_member_leaves_with_their_own_id(world):
    url = f"/api/v1/teams/{world.team_id}/members/{world.ids['cleo']}"
    assert world.call("cleo", "DELETE", url).status_code == 204
    assert world.role_of("cleo") is None
    assert world.call("cleo", "DELETE", url).status_code == 404


def test_a_personal_team_keeps_its_user(world):
    personal = next(
        team["id"]
        for team in world.call("ada", "GET", "/api/v1/teams").json["teams"]
        if team["personal"]
    )
    url = f"/api/v1/teams/{personal}/members/{world.ids['ada']}"
    response = world.call("ada", "DELETE", url)
    assert response.status_code == 409 and code_of(response) == "personal_team"
    response = world.call("ada", "PATCH", url, json={"role": "viewer"})
    assert response.status_code == 409 and code_of(response) == "personal_team"
    with world.app.app_context():
        assert db.session.get(Membership, (personal, world.ids["ada"])).role == Role.OWNER


def test_other_teams_ids_answer_404(world):
    eve_team = world.call("eve", "GET", "/api/v1/teams").json["teams"][0]["id"]
    for method, url, body in [
        ("GET", f"/api/v1/teams/{eve_team}/members", None),
        ("PATCH", f"/api/v1/teams/{eve_team}/members/{world.ids['eve']}", {"role": "viewer"}),
        ("DELETE", f"/api/v1/teams/{eve_team}/members/{world.ids['eve']}", None),
        ("GET", f"/api/v1/teams/{eve_team}/invitations", None),
        ("POST", f"/api/v1/teams/{eve_team}/invitations", {"role": "viewer"}),
        ("DELETE", f"/api/v1/teams/{eve_team}/invitations/1", None),
    ]:
        response = world.call("ada", method, url, json=body)
        assert response.status_code == 404, (method, url)
        assert code_of(response) == "not_found"
    assert world.role_of("eve", eve_team) == Role.OWNER


def test_the_document_describes_the_team_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/teams"])
    assert {"patch", "delete"} <= set(paths["/teams/{team_id}/members/{user_id}"])
    accept = paths["/invitations/{code}/accept"]
    assert accept["parameters"][0]["schema"] == {"type": "string", "minLength": 1}
    assert "410" in accept["post"]["responses"]
