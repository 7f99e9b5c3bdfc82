"""Registration, sign-in, sign-out and the login_required redirect."""

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import LoginEvent, User
from tests.conftest import PASSWORD, AuthActions

LOGIN_REQUIRED_PAGES = ["/dashboard", "/account", "/account/tokens", "/account/activity"]


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_signs_in_and_stores_an_argon2id_hash(app, client, auth):
    response = auth.register("Grace_H", "violet harbour 1987")
    assert response.status_code == 302
    assert response.location == "/dashboard"
    assert "Hello, Grace_H" in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "Grace_H"))
        assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert "violet" not in user.password_hash
        assert user.check_password("violet harbour 1987")
        assert not user.check_password("violet harbour 1988")
    activity = client.get("/account/activity").get_data(as_text=True)
    assert activity.count(">success<") == 1  # registering signed in


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("ADA", "violet harbour 1987", None, "That username is taken."),
        ("ab", "violet harbour 1987", None, "Field must be between 3 and 40 characters long."),
        ("a" * 41, "violet harbour 1987", None, "Field must be between 3 and 40 characters long."),
        ("two words", "violet harbour 1987", None, "Usernames are 3-40 characters"),
        ("<script>alert(1)</script>", "violet harbour 1987", None, "Usernames are 3-40"),
        ("x' OR '1'='1", "violet harbour 1987", None, "Usernames are 3-40 characters"),
        ("zoë_müller", "violet harbour 1987", None, "Usernames are 3-40 characters"),
        ("nul\x00byte", "violet harbour 1987", None, "cannot contain NUL characters"),
        ("grace", "short", None, "Field must be between 8 and 1024 characters long."),
        ("grace", "x" * 1025, None, "Field must be between 8 and 1024 characters long."),
        ("grace", "password1", None, "commonly used passwords"),
        ("grace", "Qwertyuiop", None, "commonly used passwords"),
        ("grace", "violet harbour 1987", "violet harbour 1988", "Passwords differ."),
        ("gracehopper", "GraceHopper", None, "cannot be your username"),
        ("grace", "", None, "This field is required."),
    ],
)
def test_register_refuses_bad_input_with_a_message(
    app, client, auth, username, password, confirm, message
):
    response = auth.register(username, password, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    with app.app_context():
        assert user_count() == 1  # only ada


def test_register_accepts_the_longest_password(auth):
    assert auth.register("grace", "p" * 1023 + "!").status_code == 302


def test_registration_can_be_closed(app_factory):
    app = app_factory(REGISTRATION_OPEN=False)
    client = app.test_client()
    assert client.get("/register").status_code == 403
    assert "Registration is closed" in client.get("/register").get_data(as_text=True)
    assert client.post("/register", data={"username": "eve"}).status_code in (400, 403)
    assert "Register" not in client.get("/login").get_data(as_text=True)


def test_login_page_has_the_documented_fields(client):
    page = client.get("/login").get_data(as_text=True)
    for field in ('name="username"', 'name="password"', 'name="remember"', 'value="y"'):
        assert field in page
    assert 'name="csrf_token"' in page


def test_password_forms_of_a_signed_in_user_name_the_account_for_password_managers(client, auth):
    auth.login()
    hidden_name = '<input type="text" autocomplete="username" value="ada" hidden>'
    page = client.get("/account").get_data(as_text=True)
    assert page.count(hidden_name) == 2  # change password, delete account


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert response.location == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert response.location == "/login"
    assert client.get("/dashboard").status_code == 302


def test_get_logout_asks_for_confirmation_and_keeps_the_session(client, auth):
    auth.login()
    page = client.get("/logout")
    assert page.status_code == 200
    assert 'method="post"' in page.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("username", ["ada", "nobody"])
def test_failed_login_answers_200_with_the_same_message(app, client, auth, username):
    response = auth.login(username, "wrong password here")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Invalid username or password." in page
    assert 'name="password"' in page
    assert client.get("/dashboard").status_code == 302
    with app.app_context():
        event = db.session.scalar(select(LoginEvent))
        assert (event.username, event.success) == (username, False)
        assert (event.user_id is not None) == (username == "ada")


def test_username_is_case_insensitive_at_login(client, auth):
    assert auth.login("ADA").location == "/dashboard"


def test_disabled_user_cannot_sign_in(app, client, auth):
    with app.app_context():
        db.session.scalar(select(User)).active = False
        db.session.commit()
    response = auth.login()
    assert response.status_code == 200
    assert "Invalid username or password." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"username": "ada"},
        {"password": PASSWORD},
        {"username": "a" * 5000, "password": PASSWORD},
        {"username": "ada", "password": "p" * 5000},
        {"username": "<b>bold</b>", "password": "whatever123"},
    ],
)
def test_malformed_login_forms_get_a_4xx_or_a_message(client, auth, form):
    response = auth.post("/login", form)
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert "<b>bold</b>" not in page
    assert client.get("/dashboard").status_code == 302


@pytest.mark.parametrize("url", ["/login", "/register"])
def test_nul_characters_are_refused_with_a_message(app, client, auth, url):
    response = auth.post(url, {"username": "ada\x00", "password": "x\x00y", "confirm": "x\x00y"})
    assert response.status_code == 400
    assert "cannot contain NUL characters" in response.get_data(as_text=True)
    assert client.get("/login?next=/x%00y").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginEvent)) == 0


def test_control_characters_in_audit_fields_are_stored_safely(app):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "Agent\x01\x7f/1.0"
    AuthActions(client).login("ada\u200b\x1b[31m", "wrong password")
    with app.app_context():
        event = db.session.scalar(select(LoginEvent))
        assert event.user_agent == "Agent\ufffd\ufffd/1.0"
        assert "\x1b" not in event.username


@pytest.mark.parametrize("page", LOGIN_REQUIRED_PAGES)
def test_login_required_pages_redirect_to_login_with_next(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response.location == f"/login?next=%2F{page.strip('/').replace('/', '%2F')}"
    login_page = client.get(response.location).get_data(as_text=True)
    assert "Please sign in to see that page." in login_page


def test_after_login_the_user_lands_on_next(client, auth):
    response = auth.login(next_url="%2Faccount%2Factivity%3Fpage%3D2")
    assert response.location == "/account/activity?page=2"


OFFSITE_TARGETS = [
    "http://evil.example/",
    "https://evil.example/dashboard",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "%252F%252Fevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/%0d%0aLocation:%20http://evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "ftp://evil.example",
    "http:evil.example",
    "/%E2%80%AE//evil.example",
]


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_next_never_leaves_the_site(client, auth, target):
    response = auth.post(f"/login?next={target}", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/dashboard"


@pytest.mark.parametrize("target", OFFSITE_TARGETS[:6])
def test_signed_in_visit_to_login_ignores_offsite_next(client, auth, target):
    auth.login()
    response = client.get(f"/login?next={target}")
    assert response.location == "/dashboard"


def test_post_without_csrf_token_is_refused(app, client):
    response = client.post("/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form had expired or was not sent by this site" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_post_with_a_forged_csrf_token_is_refused(client, auth):
    client.get("/login")
    form = {"username": "ada", "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/login", data=form).status_code == 400


def test_csrf_token_of_another_session_is_refused(app, client, auth):
    other = app.test_client()
    from tests.conftest import csrf_token

    token = csrf_token(other, "/login")
    client.get("/login")
    form = {"username": "ada", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form).status_code == 400


@pytest.mark.parametrize(
    ("method", "url"), [("delete", "/login"), ("put", "/register"), ("get", "/account/delete")]
)
def test_wrong_methods_get_405(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


def test_landing_page_redirects_signed_in_users(client, auth):
    assert client.get("/").status_code == 200
    auth.login()
    assert client.get("/").location == "/dashboard"
