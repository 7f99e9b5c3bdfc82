"""A team whose owner requires a second factor: its members work in it only after passing one
(a browser's sign-in) or having one (an API token's user); the second factor is audited."""

import pytest
from sqlalchemy import select

from emolytics.accounts import members, teams, tokens
from emolytics.accounts.audit import Actor
from emolytics.extensions import db
from emolytics.tables import AuditEvent, User
from tests.conftest import SETUP, join_team
from tests.web.second_factor_steps import code_at, enrol, second_step


@pytest.fixture
def app(totp_app):
    return totp_app


def _strict_team(app) -> tuple[int, str]:
    """A team that requires a second factor, with ada as analyst; (its id, ada's token)."""
    with app.app_context():
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        owner = teams.create_team(ada, "Strict", SETUP)  # ada owns it for a moment
        members.change_settings(
            Actor(ada.id, "ada"), owner.id, name="Strict", require_second_factor=True
        )
        secret = tokens.create_token(ada, "ci", team_id=owner.id, scope="write").secret
        join_team(owner.id, "ada", "analyst")
        return owner.id, secret


def test_a_member_without_a_second_factor_is_refused(app, client, auth):
    team_id, secret = _strict_team(app)
    auth.login()
    page = client.get("/datasets", query_string={"team": team_id})
    assert page.status_code == 403
    assert "requires its members to use a second factor" in page.get_data(as_text=True)
    assert client.get("/account/second-factor").status_code in (200, 302)  # where to set it up
    answer = client.get("/api/v1/datasets", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "second_factor_required"
    # the personal team asks for nothing
    assert client.get("/datasets", query_string={"team": _personal(app)}).status_code in (200, 302)


def test_a_member_who_passed_a_second_factor_works_in_it(app, client, auth, clock):
    team_id, token = _strict_team(app)
    secret, _ = enrol(client, auth, clock)
    api = client.get("/api/v1/datasets", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200  # the token's user has a second factor now
    auth.login()
    clock.advance(30)
    assert second_step(auth, code_at(secret, clock.now)).status_code == 302
    assert client.get("/datasets", query_string={"team": team_id}).status_code in (200, 302)
    assert client.get("/dashboard").status_code == 200
    with app.app_context():
        actions = [
            (event.action, event.outcome)
            for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    assert ("second_factor.totp_enabled", "ok") in actions
    assert actions[-2:] == [("auth.sign_in", "ok"), ("auth.second_factor", "ok")]


def test_a_wrong_code_is_audited_as_failed(app, client, auth, clock):
    enrol(client, auth, clock)
    auth.login()
    assert second_step(auth, "000000").status_code == 400
    with app.app_context():
        failed = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.second_factor")
        ).all()
    assert [(event.outcome, event.actor_name) for event in failed] == [("failed", "ada")]


def _personal(app) -> int:
    with app.app_context():
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        return teams.personal_seat(ada.id).team_id
