"""The short-lived caches are always beaten: a change in one process is seen at once by another.

Two apps built on one database and one instance folder stand for two server processes: what
one of them changes, the other must see on its very next request, whatever it has cached.
"""

import pytest
from flask import Flask
from sqlalchemy import delete, select

from emolytics import caching
from emolytics.accounts import registration, teams, tokens
from emolytics.cli import cli
from emolytics.extensions import db
from emolytics.tables import Dataset, Membership
from tests.conftest import PASSWORD, SETUP, AuthActions, csrf_token, join_team
from tests.web.bearer_headers import bearer
from tests.web.session_checks import NEW_PASSWORD, copy_cookies, signed_in


@pytest.fixture
def other_app(app_factory, app) -> Flask:
    """A second process of the same deployment."""
    return app_factory()


def test_a_member_removed_in_one_process_is_refused_at_once_by_another(app, other_app):
    with app.app_context():
        grace = registration.register("grace", PASSWORD)
        team_id = teams.create_team(grace, "Research", SETUP).id
        join_team(team_id, "ada", "analyst")
        secret = tokens.create_token(registration.find_user("ada"), "t", team_id=team_id).secret
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(secret)).json["role"] == "analyst"
    with app.app_context():
        join_team(team_id, "ada", "viewer")
    assert other_api.get("/api/v1/me", headers=bearer(secret)).json["role"] == "viewer"
    with app.app_context():
        ada_id = registration.find_user("ada").id
        db.session.execute(
            delete(Membership).where(Membership.user_id == ada_id, Membership.team_id == team_id)
        )
        caching.changed_after_commit(db.session, [teams.seats_guard(ada_id)])
        db.session.commit()
    assert other_api.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_sign_out_in_one_process_ends_the_session_in_another(app, other_app, client, auth):
    auth.login()
    copy = other_app.test_client()
    copy_cookies(client, copy, "session")
    assert signed_in(copy)  # now cached by the other process
    auth.logout()
    assert not signed_in(copy)


def test_sign_out_ends_a_cached_remember_cookie_elsewhere(app, other_app, client, auth):
    auth.login(remember=True)
    copy = other_app.test_client()
    copy_cookies(client, copy, "remember_token")
    assert signed_in(copy)
    auth.logout()
    assert not signed_in(copy)
    replay = other_app.test_client()
    copy.delete_cookie("session")
    replay.set_cookie("remember_token", copy.get_cookie("remember_token").value)
    assert not signed_in(replay)


def test_password_change_ends_cached_sessions_elsewhere(app, other_app, client, auth):
    auth.login()
    elsewhere = other_app.test_client()
    AuthActions(elsewhere).login()
    assert signed_in(elsewhere)
    changed = auth.post(
        "/account",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not signed_in(elsewhere)
    assert signed_in(client)


def test_sign_out_everywhere_else_reaches_other_processes(app, other_app, client, auth):
    auth.login()
    elsewhere = other_app.test_client()
    AuthActions(elsewhere).login()
    assert signed_in(elsewhere)
    auth.post("/account/sessions/revoke-others", {})
    assert not signed_in(elsewhere)


def test_disabled_account_is_refused_at_once_by_every_process(app, other_app, client, auth, api):
    auth.login()
    assert signed_in(client)
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 200
    result = other_app.test_cli_runner().invoke(cli, ["users", "disable", "ada"])
    assert result.exit_code == 0, result.output
    assert not signed_in(client)
    assert api.get("/api/v1/me").status_code == 401


def test_revoked_token_is_refused_at_once_by_every_process(app, other_app, client, auth, api):
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 200
    auth.login()
    tokens_page = client.get("/account/tokens").get_data(as_text=True)
    assert "revoke" in tokens_page
    with app.app_context():
        token = tokens.list_tokens(registration.find_user("ada"))[0]
    revoked = auth.post(f"/account/tokens/{token.id}/revoke", {})
    assert revoked.status_code == 302
    answer = other_api.get("/api/v1/me", headers=bearer(api.token))
    assert answer.status_code == 401
    assert "Bearer" in answer.headers["WWW-Authenticate"]


def test_deleted_account_is_refused_at_once_by_every_process(app, other_app, client, auth, api):
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 200
    auth.login()
    elsewhere = other_app.test_client()
    copy_cookies(client, elsewhere, "session")
    assert signed_in(elsewhere)
    auth.reauthenticate()
    deleted = auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")
    assert deleted.status_code == 302
    assert not signed_in(elsewhere)
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 401


def test_a_new_dataset_shows_on_a_cached_home_page_at_once(app, other_app, client, auth):
    auth.login()
    elsewhere = other_app.test_client()
    copy_cookies(client, elsewhere, "session")
    assert "Start here" in elsewhere.get("/dashboard").get_data(as_text=True)
    loaded = client.post("/datasets/sample", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert loaded.status_code == 302
    home = elsewhere.get("/dashboard").get_data(as_text=True)
    assert "Start here" not in home
    assert "Your datasets" in home


def test_a_deleted_dataset_leaves_a_cached_home_page_at_once(app, other_app, client, auth):
    auth.login()
    client.post("/datasets/sample", data={"csrf_token": csrf_token(client, "/dashboard")})
    elsewhere = other_app.test_client()
    copy_cookies(client, elsewhere, "session")
    assert "Your datasets" in elsewhere.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        dataset_id, name = db.session.execute(select(Dataset.id, Dataset.name)).one()
    url = f"/datasets/{dataset_id}"
    deleted = auth.post(f"{url}/delete", {"confirm_name": name})
    assert deleted.status_code == 302
    assert "Start here" in elsewhere.get("/dashboard").get_data(as_text=True)
