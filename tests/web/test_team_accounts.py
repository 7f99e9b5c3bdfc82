"""Accounts go with their teams: the only owner stays, lone teams go, co-owned teams stay."""

from flask import Flask
from sqlalchemy import func, select

from emolytics.accounts import lifecycle, registration, teams
from emolytics.extensions import db
from emolytics.tables import Dataset, Team, User
from tests.conftest import PASSWORD, SETUP, join_team, team_of
from tests.web.research_team import _client_of, _dataset


def _delete_account(app: Flask, username: str):
    client, auth = _client_of(app, username)
    return auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")


def test_the_only_owner_of_a_team_with_members_cannot_delete_their_account(app, research):
    response = _delete_account(app, "olive")
    assert response.status_code == 409
    assert "transfer ownership" in response.get_data(as_text=True)
    with app.app_context():
        assert registration.find_user("olive") is not None
        assert db.session.get(Team, research) is not None


def test_deleting_an_account_deletes_the_teams_it_was_alone_in(app, research):
    with app.app_context():
        alone = teams.create_team(registration.find_user("grace"), "Solo", SETUP).id
        _dataset(alone, "Solo texts")
        personal = team_of("grace")
        _dataset(personal, "Grace own")
    assert _delete_account(app, "grace").status_code == 302
    with app.app_context():
        assert registration.find_user("grace") is None
        assert db.session.get(Team, alone) is None and db.session.get(Team, personal) is None
        names = set(db.session.scalars(select(Dataset.name)))
        assert names == {"Research texts", "Ada own texts"}  # the shared team keeps its data
        assert db.session.get(Team, research) is not None


def test_a_co_owned_team_stays_when_one_owner_goes(app, research):
    """`teams_going_with`: a co-owned team stays, with its data, when one owner goes."""
    with app.app_context():
        join_team(research, "grace", "owner")
        olive = registration.find_user("olive")
        going = lifecycle.teams_going_with(olive)
        assert going == [team_of("olive")]
        lifecycle.remove_account(olive, going)
        assert db.session.get(Team, research) is not None
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
