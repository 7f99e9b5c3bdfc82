"""Tokens with a team and a scope: a read token only reads, a token follows its user's role."""

from flask import Flask
from sqlalchemy import delete, func, select

from emolytics import caching
from emolytics.accounts import registration, teams, tokens
from emolytics.extensions import db
from emolytics.tables import ApiToken, Membership
from tests.conftest import join_team
from tests.web.research_team import _bearer, _client_of


def test_a_read_token_may_only_read(app, research):
    with app.app_context():
        secret = tokens.create_token(
            registration.find_user("grace"), "reader", team_id=research, scope="read"
        ).secret
    client = app.test_client()
    me = client.get("/api/v1/me", headers=_bearer(secret))
    assert me.status_code == 200
    assert me.json["team"] == {"id": research, "name": "Research"}
    assert (me.json["role"], me.json["scope"]) == ("analyst", "read")
    assert [
        d["name"] for d in client.get("/api/v1/datasets", headers=_bearer(secret)).json["datasets"]
    ] == ["Research texts"]
    refused = client.post("/api/v1/datasets", json={"name": "Feed"}, headers=_bearer(secret))
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "read_only_token"
    assert "read scope" in refused.json["error"]["message"]


def test_a_token_follows_its_users_role_and_membership(app, research):
    with app.app_context():
        grace = registration.find_user("grace")
        secret = tokens.create_token(grace, "script", team_id=research).secret
    client = app.test_client()
    feed = {"name": "Feed"}
    assert client.post("/api/v1/datasets", json=feed, headers=_bearer(secret)).status_code == 201
    with app.app_context():
        join_team(research, "grace", "viewer")
    demoted = client.post("/api/v1/datasets", json=feed, headers=_bearer(secret))
    assert demoted.status_code == 403 and "is viewer" in demoted.json["error"]["message"]
    assert client.get("/api/v1/me", headers=_bearer(secret)).json["role"] == "viewer"
    with app.app_context():
        grace_id = registration.find_user("grace").id
        db.session.execute(
            delete(Membership).where(Membership.user_id == grace_id, Membership.team_id == research)
        )
        caching.changed_after_commit(db.session, [teams.seats_guard(grace_id)])
        db.session.commit()
    gone = client.get("/api/v1/me", headers=_bearer(secret))
    assert gone.status_code == 401 and gone.json["error"]["code"] == "invalid_token"


def test_a_disabled_users_tokens_stop(app, runner, research):
    with app.app_context():
        secret = tokens.create_token(registration.find_user("grace"), "s", team_id=research).secret
    client = app.test_client()
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 200
    assert runner.invoke(["users", "disable", "grace"]).exit_code == 0
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 401


def test_a_viewer_may_only_create_read_tokens_in_the_page(app, research):
    client, auth = _client_of(app, "ada")
    client.get(f"/account/tokens?team={research}")
    refused = auth.post("/account/tokens", {"name": "w", "scope": "write"})
    assert refused.status_code == 400
    assert "a viewer may only create read tokens" in refused.get_data(as_text=True)
    created = auth.post("/account/tokens", {"name": "r", "scope": "read"})
    assert created.status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == "r"))
        assert (token.team_id, token.scope) == (research, "read")
        assert db.session.scalar(select(func.count()).where(ApiToken.name == "w")) == 0


def test_an_admin_sees_and_revokes_the_teams_tokens_a_member_only_their_own(app, research):
    with app.app_context():
        olive = registration.find_user("olive")
        grace_token = tokens.create_token(
            registration.find_user("grace"), "grace-script", team_id=research
        )
        tokens.create_token(olive, "olive-script", team_id=research)
        tokens.create_token(registration.find_user("grace"), "grace-personal")
        grace_token_id = grace_token.token.id
    grace, _ = _client_of(app, "grace")
    page = grace.get(f"/account/tokens?team={research}").get_data(as_text=True)
    assert "grace-script" in page and "olive-script" not in page and "grace-personal" not in page
    olive_token_id = team_token_id(app, "olive-script")
    assert grace.get(f"/account/tokens/{olive_token_id}/revoke").status_code == 404

    olive_client, olive_auth = _client_of(app, "olive")
    page = olive_client.get(f"/account/tokens?team={research}").get_data(as_text=True)
    assert "grace-script" in page and "olive-script" in page and "grace-personal" not in page
    url = f"/account/tokens/{grace_token_id}/revoke"
    assert olive_client.get(url).status_code == 200
    assert olive_auth.post(url, {}, token_from=url).status_code == 302
    assert (
        app.test_client().get("/api/v1/me", headers=_bearer(grace_token.secret)).status_code == 401
    )


def team_token_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ApiToken.id).where(ApiToken.name == name))
