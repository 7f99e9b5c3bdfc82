"""Passkeys through their JSON endpoints, answered by a software authenticator: adding,
renaming and removing one, passwordless sign-in, the second step, reauthentication, and every
way a ceremony is refused (no challenge, a used one, a wrong origin, no user verification, a
sign counter that does not grow, another user's passkey, no CSRF token)."""

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.tables import Passkey, UserSession
from tests.conftest import PASSWORD, AuthActions
from tests.web.soft_authenticator import SoftAuthenticator

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf(client: FlaskClient, url: str) -> str:
    return CSRF_META.search(client.get(url).get_data(as_text=True)).group(1)


def post_json(client: FlaskClient, url: str, body: object, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, json=body, headers=headers)


def add_passkey(client: FlaskClient, key: SoftAuthenticator, name: str = "Laptop"):
    token = csrf(client, "/account/second-factor")
    options = post_json(client, "/account/second-factor/passkeys/options", {}, token)
    assert options.status_code == 200
    body = {"name": name, "credential": key.create(options.get_json())}
    return post_json(client, "/account/second-factor/passkeys", body, token)


def passkey_sign_in(client: FlaskClient, key: SoftAuthenticator, page: str = "/login", **answer):
    token = csrf(client, page)
    options = post_json(client, "/login/passkey/options", {"remember": True}, token)
    assert options.status_code == 200
    return post_json(client, "/login/passkey", key.get(options.get_json(), **answer), token)


@pytest.fixture
def key() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def enrolled(app, client, auth, key) -> SoftAuthenticator:
    """ada with one passkey, signed out."""
    auth.login()
    assert add_passkey(client, key).status_code == 201
    auth.logout()
    return key


def test_adding_a_passkey_lists_it(app, client, auth, key):
    auth.login()
    response = add_passkey(client, key, "  Work   laptop ")
    assert response.status_code == 201
    assert response.get_json()["redirect"] == "/account/second-factor"
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert 'value="Work laptop"' in page
    assert "never" in page  # not used yet
    options = post_json(
        client,
        "/account/second-factor/passkeys/options",
        {},
        csrf(client, "/account/second-factor"),
    ).get_json()
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert [item["id"] for item in options["excludeCredentials"]] == [key.create(options)["id"]]


def test_the_same_passkey_cannot_be_added_twice(app, client, auth, key):
    auth.login()
    add_passkey(client, key)
    response = add_passkey(client, key)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "That passkey is already registered."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "", "credential": {}}, "A passkey's name is 1-80 characters."),
        ({"name": "x" * 81, "credential": {}}, "A passkey's name is 1-80 characters."),
        ({"name": "Key", "credential": {"id": "nonsense"}}, "could not be verified"),
        ({"name": "Key", "credential": None}, "could not be verified"),
        ("not an object", "A passkey's name is 1-80 characters."),
    ],
)
def test_a_bad_registration_is_refused(app, client, auth, body, message):
    auth.login()
    token = csrf(client, "/account/second-factor")
    post_json(client, "/account/second-factor/passkeys/options", {}, token)
    response = post_json(client, "/account/second-factor/passkeys", body, token)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Passkey)) == 0


def test_a_registration_from_another_origin_is_refused(app, client, auth):
    auth.login()
    token = csrf(client, "/account/second-factor")
    options = post_json(client, "/account/second-factor/passkeys/options", {}, token).get_json()
    credential = SoftAuthenticator().create(options, origin="https://evil.example")
    body = {"name": "Key", "credential": credential}
    assert post_json(client, "/account/second-factor/passkeys", body, token).status_code == 400


def test_registration_needs_its_challenge_once(app, client, auth, key):
    auth.login()
    token = csrf(client, "/account/second-factor")
    response = post_json(
        client, "/account/second-factor/passkeys", {"name": "K", "credential": {}}, token
    )
    assert response.status_code == 400
    assert "expired or was already used" in response.get_json()["error"]["message"]


def test_the_json_endpoints_need_the_csrf_token(app, client, auth, key):
    auth.login()
    assert post_json(client, "/account/second-factor/passkeys/options", {}, None).status_code == 400
    assert post_json(client, "/login/passkey/options", {}, None).status_code == 400


def test_adding_a_passkey_needs_a_fresh_sign_in(app, client, auth, key):
    auth.login()
    token = csrf(client, "/account/second-factor")
    with client.session_transaction() as session:
        session["_fresh"] = False
    response = post_json(client, "/account/second-factor/passkeys/options", {}, token)
    assert response.status_code == 401


def test_passwordless_sign_in(app, client, enrolled):
    response = passkey_sign_in(client, enrolled)
    assert response.status_code == 200
    assert response.get_json()["redirect"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert client.get_cookie("remember_token") is not None  # the box was ticked
    with app.app_context():
        [row] = db.session.scalars(select(UserSession)).all()
        assert row.second_factor is True
        assert db.session.scalar(select(Passkey.last_used_at)) is not None


def test_passwordless_options_ask_for_a_discoverable_passkey_with_verification(app, client):
    token = csrf(client, "/login")
    options = post_json(client, "/login/passkey/options", {}, token).get_json()
    assert options["userVerification"] == "required"
    assert options["allowCredentials"] == []
    assert options["rpId"] == "localhost"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"verified": False}, "not accepted"),
        ({"origin": "http://evil.example"}, "not accepted"),
        ({"count": 0}, "not accepted"),  # the counter did not grow (a cloned key)
    ],
)
def test_a_bad_passkey_answer_is_refused(app, client, enrolled, answer, message):
    passkey_sign_in(client, enrolled)  # counter 1
    AuthActions(client).logout()
    response = passkey_sign_in(client, enrolled, **answer)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    assert client.get("/dashboard").status_code == 302


def test_an_unknown_passkey_is_refused(app, client, enrolled):
    response = passkey_sign_in(client, SoftAuthenticator())
    assert response.status_code == 400
    assert "not registered" in response.get_json()["error"]["message"]


def test_a_challenge_is_used_once(app, client, enrolled):
    token = csrf(client, "/login")
    options = post_json(client, "/login/passkey/options", {}, token).get_json()
    answer = enrolled.get(options)
    assert post_json(client, "/login/passkey", answer, token).status_code == 200
    AuthActions(client).logout()
    token = csrf(client, "/login")
    response = post_json(client, "/login/passkey", answer, token)
    assert response.status_code == 400
    assert "expired or was already used" in response.get_json()["error"]["message"]


def test_a_garbage_answer_is_refused(app, client, enrolled):
    token = csrf(client, "/login")
    post_json(client, "/login/passkey/options", {}, token)
    response = post_json(client, "/login/passkey", {"id": 5, "response": []}, token)
    assert response.status_code == 400


def test_a_passkey_is_a_second_factor_after_the_password(app, client, auth, enrolled):
    response = auth.login(next_url="/models")
    assert response.location == "/login/second-factor?next=/models"
    page = client.get(response.location).get_data(as_text=True)
    assert "Use a passkey" in page
    token = csrf(client, "/login/second-factor")
    options = post_json(client, "/login/passkey/options", {}, token).get_json()
    assert len(options["allowCredentials"]) == 1  # ada's passkey
    response = post_json(client, "/login/passkey?next=/models", enrolled.get(options), token)
    assert response.get_json()["redirect"] == "/models"
    assert client.get("/dashboard").status_code == 200


def test_another_users_passkey_is_no_second_factor(app, client, auth, enrolled):
    with app.app_context():
        registration.register("grace", PASSWORD)
    other = app.test_client()
    other_auth = AuthActions(other)
    other_auth.login("grace")
    grace_key = SoftAuthenticator()
    add_passkey(other, grace_key)
    auth.login()  # ada's password
    token = csrf(client, "/login/second-factor")
    options = post_json(client, "/login/passkey/options", {}, token).get_json()
    response = post_json(client, "/login/passkey", grace_key.get(options), token)
    assert response.status_code == 400
    assert "not registered for this account" in response.get_json()["error"]["message"]
    assert client.get("/dashboard").status_code == 302


def test_reauthentication_with_a_passkey(app, client, auth, enrolled):
    passkey_sign_in(client, enrolled)
    with client.session_transaction() as session:
        session["_fresh"] = False
    assert client.get("/account").status_code == 302
    token = csrf(client, "/reauthenticate")
    options = post_json(client, "/reauthenticate/passkey/options", {}, token).get_json()
    response = post_json(
        client, "/reauthenticate/passkey?next=/account", enrolled.get(options), token
    )
    assert response.get_json()["redirect"] == "/account"
    assert client.get("/account").status_code == 200


def test_rename_and_remove_a_passkey(app, client, auth, key):
    auth.login()
    add_passkey(client, key)
    with app.app_context():
        passkey_id = db.session.scalar(select(Passkey.id))
    response = auth.post(
        f"/account/second-factor/passkeys/{passkey_id}/rename",
        {"name": "Phone"},
        "/account/second-factor",
    )
    assert response.status_code == 302
    assert 'value="Phone"' in client.get("/account/second-factor").get_data(as_text=True)
    url = f"/account/second-factor/passkeys/{passkey_id}/remove"
    assert "Remove the passkey" in client.get(url).get_data(as_text=True)
    assert auth.post(url, {}, url).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Passkey)) == 0


def test_another_users_passkey_is_not_found(app, client, auth, key):
    auth.login()
    add_passkey(client, key)
    with app.app_context():
        passkey_id = db.session.scalar(select(Passkey.id))
        registration.register("grace", PASSWORD)
    auth.logout()
    auth.login("grace")
    url = f"/account/second-factor/passkeys/{passkey_id}/remove"
    assert client.get(url).status_code == 404
    rename = f"/account/second-factor/passkeys/{passkey_id}/rename"
    assert auth.post(rename, {"name": "Mine"}, "/account/second-factor").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Passkey.name)) == "Laptop"
