"""A new session starts in the team the user last chose, while they are still a member of it;
else in their personal team."""

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import User
from tests.conftest import team_of
from tests.web.teams_world import World, build_world, signed_in, working_in

CARE_VIEWER = "Care (viewer)"
DAN_OWNER = "dan (personal)"


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def last_team(world: World, username: str) -> int | None:
    with world.app.app_context():
        return db.session.scalar(select(User.last_team_id).where(User.id == world.ids[username]))


def test_signing_in_again_returns_to_the_team_last_chosen(world):
    laptop = signed_in(world, "dan")
    assert working_in(laptop) == DAN_OWNER and last_team(world, "dan") is None
    laptop.post("/teams/switch", {"team_id": str(world.team_id)}, "/dashboard")
    assert last_team(world, "dan") == world.team_id
    phone = signed_in(world, "dan")  # another session, as after signing out and in
    assert working_in(phone) == CARE_VIEWER
    with world.app.app_context():
        personal = team_of("dan")
    laptop.post("/teams/switch", {"team_id": str(personal)}, "/dashboard")
    assert working_in(phone) == CARE_VIEWER  # a session keeps what it chose
    assert working_in(signed_in(world, "dan")) == DAN_OWNER  # a new one starts where dan was


def test_a_shared_link_chooses_the_team_for_the_next_session_too(world):
    signed_in(world, "dan").client.get(f"/models?team={world.team_id}")
    assert working_in(signed_in(world, "dan")) == CARE_VIEWER


def test_a_team_left_or_deleted_is_not_returned_to(world):
    dan = signed_in(world, "dan")
    dan.post("/teams/switch", {"team_id": str(world.team_id)}, "/dashboard")
    dan.post(f"/teams/{world.team_id}/leave", {})
    assert working_in(signed_in(world, "dan")) == DAN_OWNER
    ada = signed_in(world, "ada")
    ada.post("/teams/switch", {"team_id": str(world.team_id)}, "/dashboard")
    assert last_team(world, "ada") == world.team_id
    deleted = ada.post(f"/teams/{world.team_id}/delete", {"confirm_name": "Care"})
    assert deleted.status_code == 302
    assert last_team(world, "ada") is None  # the key clears it, on SQLite as on PostgreSQL
    assert working_in(signed_in(world, "ada")) == "ada (personal)"
