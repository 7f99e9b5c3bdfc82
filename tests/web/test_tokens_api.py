"""API tokens: the page, their life cycle, and bearer-only authentication of /api/v1."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from emolytics.accounts import tokens
from emolytics.extensions import db
from emolytics.tables import ApiToken, utcnow
from tests.conftest import ApiClient

NEW_TOKEN = re.compile(r'<code id="new-token"[^>]*>([^<]+)</code>')


def create_token_in_page(auth, name="laptop script", days="") -> str:
    response = auth.post("/account/tokens", {"name": name, "expires_in_days": days})
    assert response.status_code == 200
    match = NEW_TOKEN.search(response.get_data(as_text=True))
    assert match, "the new secret is shown once"
    return match.group(1)


def test_token_life_cycle_through_the_pages(app, client, auth):
    auth.login()
    secret = create_token_in_page(auth)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in listing  # shown once only
    assert secret[:12] in listing  # the prefix tells tokens apart
    assert "laptop script" in listing
    assert "never" in listing  # not used yet

    api = ApiClient(app.test_client(), secret)
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["username"] == "ada"
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.last_used_at is not None
        assert token.token_hash != secret and secret not in token.token_hash

    token_id = token.id
    page = client.get("/account/tokens").get_data(as_text=True)
    assert f'href="/account/tokens/{token_id}/revoke"' in page  # asks first, see below
    url = f"/account/tokens/{token_id}/revoke"
    assert "Revoke the token &#39;laptop script&#39;" in client.get(url).get_data(as_text=True)
    response = auth.post(url, {})
    assert response.location == "/account/tokens"
    assert "revoked" in client.get("/account/tokens").get_data(as_text=True)
    assert api.get("/api/v1/me").status_code == 401


def test_token_with_expiry(app, auth, monkeypatch):
    auth.login()
    secret = create_token_in_page(auth, days="7")
    api = ApiClient(app.test_client(), secret)
    assert api.get("/api/v1/me").status_code == 200  # and now known to the cache
    eight_days_on = utcnow() + timedelta(days=8)
    monkeypatch.setattr(tokens, "utcnow", lambda: eight_days_on)
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 81}, "Field cannot be longer than 80 characters."),
        ({"name": "ok", "expires_in_days": "0"}, "Number must be between 1 and 3650."),
        ({"name": "ok", "expires_in_days": "soon"}, "Not a valid integer value."),
    ],
)
def test_token_form_refusals(app, auth, form, message):
    auth.login()
    response = auth.post("/account/tokens", {"expires_in_days": "", **form})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_creating_a_token_needs_a_fresh_login(app, client, auth):
    auth.login(remember=True)
    restored = app.test_client()
    restored.set_cookie("remember_token", client.get_cookie("remember_token").value)
    from tests.conftest import AuthActions

    response = AuthActions(restored).post("/account/tokens", {"name": "sneaky"})
    assert response.status_code == 302
    assert response.location.startswith("/reauthenticate")
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_cannot_revoke_another_users_token(app, auth, api):
    auth.register("grace", "violet harbour 1987")
    with app.app_context():
        ada_token = db.session.scalar(select(ApiToken.id))
    url = f"/account/tokens/{ada_token}/revoke"
    assert auth.client.get(url).status_code == 404
    assert auth.post(url, {}, token_from="/account/tokens").status_code == 404
    assert api.get("/api/v1/me").status_code == 200


def test_me_returns_the_user(api):
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["username"] == "ada"
    assert set(response.json) == {
        "id",
        "username",
        "created_at",
        "last_login_at",
        "team",
        "role",
        "scope",
    }
    assert response.json["team"]["name"] == "ada"  # the personal team
    assert (response.json["role"], response.json["scope"]) == ("owner", "write")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer emo_not-a-real-token",
        "Basic YWRhOmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ==",
        "Token emo_whatever",
        "Bearer " + "x" * 10000,
        "Bearer emo_\x00",
    ],
)
def test_api_without_a_valid_token_answers_401_json(client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.is_json
    assert response.json["error"]["code"] in {"unauthorized", "invalid_token"}
    assert response.json["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in response.headers


def test_token_in_query_string_is_refused(api):
    for name in ("access_token", "token"):
        response = api.client.get(f"/api/v1/me?{name}={api.token}")
        assert response.status_code == 401
        assert response.json["error"]["code"] == "token_in_query"
    # even together with a valid header: the URL leaked the secret, so say so
    assert api.get(f"/api/v1/me?access_token={api.token}").status_code == 401


def test_session_cookie_alone_does_not_authenticate_the_api(client, auth):
    auth.login(remember=True)
    assert client.get("/dashboard").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json


def test_bearer_token_works_alongside_browser_cookies(client, auth, api):
    auth.login(remember=True)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_bearer_token_does_not_sign_in_html_pages(client, api):
    response = client.get("/dashboard", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 302


def test_disabled_users_tokens_stop_working(app, api, runner):
    assert runner.invoke(["users", "disable", "ada"]).exit_code == 0
    assert api.get("/api/v1/me").status_code == 401


def test_api_errors_are_json(api):
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    response = api.client.post("/api/v1/me", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 405
    assert response.is_json


def test_api_sends_no_cors_headers(api):
    response = api.get("/api/v1/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers
