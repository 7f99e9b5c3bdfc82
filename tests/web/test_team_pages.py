"""The team pages: my teams, switching, members, settings, ownership, leaving and deleting, each
asking first where it destroys; and a deleted team's datasets, models, jobs and tokens gone."""

from io import BytesIO

import pytest
from sqlalchemy import func, select, update

from emolytics.extensions import db
from emolytics.tables import (
    ApiToken,
    Dataset,
    EmotionModel,
    Invitation,
    Job,
    JobCount,
    Membership,
    Result,
    Role,
    Team,
    TextRow,
)
from tests.web.api_calls import LABELED_CSV, UPLOAD_CSV
from tests.web.teams_world import World, build_world, memberships, signed_in, working_in


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def test_my_teams_and_a_new_one(world):
    auth = signed_in(world, "eve")
    page = auth.client.get("/teams").get_data(as_text=True)
    assert "eve" in page and "Care" not in page
    response = auth.post("/teams", {"name": "Night shift"})
    assert response.status_code == 302
    team_id = int(response.location.rsplit("/", 1)[1])
    assert world.role_of("eve", team_id) == Role.OWNER
    assert working_in(auth) == "Night shift (owner)"  # working in it now
    rows = auth.client.get("/teams").get_data(as_text=True).split("<tr>")[2:]
    assert [("Night shift" in row, "You work in this team now" in row) for row in rows] == [
        (False, False),  # eve's personal team: a button to work in it
        (True, True),
    ]
    assert "Work in this team" in rows[0] and "Work in this team" not in rows[1]
    response = auth.post("/teams", {"name": "  "})
    assert response.status_code == 400 and "This field is required." in response.get_data(
        as_text=True
    )


def test_the_layout_shows_the_team_and_switches(world):
    auth = signed_in(world, "dan")
    assert working_in(auth) == "dan (personal)"  # the personal team first
    page = auth.client.get("/models").get_data(as_text=True)
    offered = f'name="team_id" value="{world.team_id}">Care <span class="role">(viewer)</span>'
    assert offered in page and 'name="next" value="/models?"' in page  # back to this page
    response = auth.post(
        "/teams/switch", {"team_id": str(world.team_id), "next": "/models"}, "/dashboard"
    )
    assert response.status_code == 302 and response.location == "/models"
    assert working_in(auth) == "Care (viewer)"
    page = auth.client.get("/dashboard").get_data(as_text=True)
    assert f'href="/teams/{world.team_id}">This team' in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example", ""])
def test_switching_goes_back_to_this_site_only(world, next_url):
    auth = signed_in(world, "dan")
    form = {"team_id": str(world.team_id), "next": next_url}
    response = auth.post("/teams/switch", form, "/dashboard")
    assert response.status_code == 302 and response.location == "/dashboard"


def test_switching_to_a_team_not_mine_is_not_found(world):
    auth = signed_in(world, "eve")
    for team_id in (str(world.team_id), "999999", "x"):
        response = auth.post("/teams/switch", {"team_id": team_id}, "/dashboard")
        assert response.status_code == 404
    assert working_in(auth) == "eve (personal)"


def test_a_team_page_is_for_members(world):
    url = f"/teams/{world.team_id}"
    assert signed_in(world, "eve").client.get(url).status_code == 404
    page = signed_in(world, "dan").client.get(url).get_data(as_text=True)
    assert "ada" in page and "cleo" in page and 'id="my-role">viewer' in page
    assert "Invite someone" not in page and "/remove" not in page  # viewers manage nothing
    page = signed_in(world, "bob").client.get(url).get_data(as_text=True)
    assert "Invite someone" in page
    assert f"/members/{world.ids['dan']}/remove" in page
    assert f"/members/{world.ids['ada']}/remove" not in page  # admins leave owners alone
    assert signed_in(world, "ada").client.get("/teams/1").status_code == 200  # ada's personal


def test_the_only_owner_is_not_offered_to_leave_or_step_down(world):
    ada = signed_in(world, "ada")
    page_url = f"/teams/{world.team_id}"
    page = ada.client.get(page_url).get_data(as_text=True)
    assert "You are its only owner: to leave it, make another member owner first" in page
    assert f'href="{page_url}/leave"' not in page
    assert f'id="role-{world.ids["ada"]}"' not in page  # her own role: not offered
    assert f'id="role-{world.ids["bob"]}"' in page
    refused = ada.post(f"{page_url}/leave", {}, page_url)  # what the page no longer offers
    assert refused.status_code == 409 and world.role_of("ada") == Role.OWNER

    url = f"{page_url}/members/{world.ids['bob']}/role"
    assert ada.post(url, {"role": "owner"}, page_url).status_code == 302
    page = ada.client.get(page_url).get_data(as_text=True)
    assert "You are its only owner" not in page
    assert f'href="{page_url}/leave"' in page and f'id="role-{world.ids["ada"]}"' in page


def test_changing_a_role_on_the_page(world):
    auth = signed_in(world, "bob")
    url = f"/teams/{world.team_id}/members/{world.ids['dan']}/role"
    response = auth.post(url, {"role": "analyst"}, f"/teams/{world.team_id}")
    assert response.status_code == 302
    assert world.role_of("dan") == Role.ANALYST
    response = auth.post(url, {"role": "owner"}, f"/teams/{world.team_id}")
    assert response.status_code == 403
    assert "this needs owner or above" in response.get_data(as_text=True)
    assert world.role_of("dan") == Role.ANALYST
    signed_in(world, "cleo")
    cleo = signed_in(world, "cleo")
    response = cleo.post(url, {"role": "viewer"}, f"/teams/{world.team_id}")
    assert response.status_code == 403 and world.role_of("dan") == Role.ANALYST


def test_removing_a_member_asks_first(world):
    auth = signed_in(world, "bob")
    url = f"/teams/{world.team_id}/members/{world.ids['cleo']}/remove"
    page = auth.client.get(url).get_data(as_text=True)
    assert "Remove cleo from Care?" in page
    assert world.role_of("cleo") == Role.ANALYST
    response = auth.post(url, {})
    assert response.status_code == 302 and world.role_of("cleo") is None
    assert auth.client.get(url).status_code == 404
    assert signed_in(world, "eve").client.get(url).status_code == 404


def test_leaving_asks_first_and_the_last_owner_cannot(world):
    auth = signed_in(world, "cleo")
    url = f"/teams/{world.team_id}/leave"
    assert "Leave Care?" in auth.client.get(url).get_data(as_text=True)
    assert auth.post(url, {}).location == "/teams"
    assert world.role_of("cleo") is None

    ada = signed_in(world, "ada")
    response = ada.post(url, {})
    assert response.status_code == 409
    assert "A team always keeps an owner" in response.get_data(as_text=True)
    assert world.role_of("ada") == Role.OWNER
    response = ada.post("/teams/1/leave", {}, "/teams/1/leave")  # ada's personal team
    assert response.status_code == 409 and "personal team" in response.get_data(as_text=True)


def test_settings_rename_and_the_second_factor_is_the_owners(world):
    bob = signed_in(world, "bob")
    url = f"/teams/{world.team_id}/settings"
    page = f"/teams/{world.team_id}"
    assert bob.post(url, {"name": "Care desk"}, page).status_code == 302
    form = {"name": "Care desk", "require_second_factor": "y"}
    response = bob.post(url, form, page)
    assert response.status_code == 403
    with world.app.app_context():
        team = db.session.get(Team, world.team_id)
        assert team.name == "Care desk" and team.require_second_factor is False
    assert bob.post(url, {"name": ""}, page).status_code == 400
    ada = signed_in(world, "ada")
    assert ada.post(url, form, page).status_code == 302
    with world.app.app_context():
        assert db.session.get(Team, world.team_id).require_second_factor is True
    assert signed_in(world, "cleo").post(url, {"name": "Mine"}, page).status_code == 403


def test_transferring_ownership_asks_first(world):
    ada = signed_in(world, "ada")
    url = f"/teams/{world.team_id}/transfer?user_id={world.ids['cleo']}"
    assert "Make cleo the owner of Care?" in ada.client.get(url).get_data(as_text=True)
    assert world.role_of("cleo") == Role.ANALYST
    assert ada.post(url, {}).status_code == 302
    assert (world.role_of("cleo"), world.role_of("ada")) == (Role.OWNER, Role.ADMIN)
    assert ada.client.get(url).status_code == 403  # not the owner any more
    eve_url = f"/teams/{world.team_id}/transfer?user_id={world.ids['eve']}"
    assert signed_in(world, "cleo").client.get(eve_url).status_code == 404


def put_work_in_team(world: World) -> None:
    """A dataset with its analysis and a trained model in ada's name, moved into Care."""
    headers = {"Authorization": f"Bearer {world.secrets['ada']}"}
    client = world.app.test_client()
    form = {"name": "Tram", "file": (BytesIO(UPLOAD_CSV), "texts.csv")}
    assert client.post("/api/v1/datasets", data=form, headers=headers).status_code == 201
    form = {"name": "Moods", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    assert client.post("/api/v1/models", data=form, headers=headers).status_code == 202
    with world.app.app_context():
        for table in (Dataset, EmotionModel, Job):
            db.session.execute(update(table).values(team_id=world.team_id))
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == world.ids["bob"])
            .values(team_id=world.team_id)
        )
        db.session.commit()


def count(world: World, table) -> int:
    with world.app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


def test_deleting_a_team_takes_its_name_typed_and_everything_in_it(world):
    put_work_in_team(world)
    assert count(world, TextRow) == 3 and count(world, Result) == 3 and count(world, JobCount)
    bob_token = world.call("bob", "GET", "/api/v1/me")
    assert bob_token.status_code == 200  # the token is cached now
    world.call("bob", "POST", f"/api/v1/teams/{world.team_id}/invitations", json={"role": "viewer"})
    url = f"/teams/{world.team_id}/delete"
    assert signed_in(world, "bob").client.get(url).status_code == 403  # owners only
    ada = signed_in(world, "ada")
    page = ada.client.get(url).get_data(as_text=True)
    assert "Delete the team &#39;Care&#39;?" in page
    response = ada.post(url, {"confirm_name": "care"})
    assert response.status_code == 400 and count(world, Dataset) == 1
    response = ada.post(url, {"confirm_name": "Care"})
    assert response.status_code == 302 and response.location == "/teams"
    for table in (Dataset, TextRow, Result, JobCount, Job, EmotionModel, Invitation):
        assert count(world, table) == 0, table.__tablename__
    assert memberships(world.app, world.team_id) == {}
    with world.app.app_context():
        assert db.session.get(Team, world.team_id) is None
        assert (
            db.session.scalar(select(ApiToken).where(ApiToken.user_id == world.ids["bob"])) is None
        )
    assert world.call("bob", "GET", "/api/v1/me").status_code == 401  # at once, cache or not
    assert count(world, Membership) == 5  # everyone keeps their personal team


def test_a_personal_team_cannot_be_deleted(world):
    ada = signed_in(world, "ada")
    assert ada.client.get("/teams/1").status_code == 200
    response = ada.post("/teams/1/delete", {"confirm_name": "ada"}, "/teams/1/delete")
    assert response.status_code == 409
    assert "cannot be deleted" in response.get_data(as_text=True)
    assert count(world, Team) == 6
