"""Steps of the invitation tests: an invitation made through the API, and accepted by its code."""

from tests.web.teams_world import World


def invite(world: World, who: str = "bob", **body) -> dict:
    url = f"/api/v1/teams/{world.team_id}/invitations"
    response = world.call(who, "POST", url, json={"role": "analyst", **body})
    assert response.status_code == 201, response.json
    return response.json


def accept(world: World, who: str, code: str):
    return world.call(who, "POST", f"/api/v1/invitations/{code}/accept")
