"""Server-side sessions: the session record, logout, remember cookies, freshness, activity."""

from tests.conftest import PASSWORD, AuthActions
from tests.web.session_checks import copy_cookies, session_count, signed_in


def test_sign_in_creates_a_session_record_and_sign_out_removes_it(app, client, auth):
    auth.login()
    assert session_count(app) == 1
    auth.logout()
    assert session_count(app) == 0


def test_replayed_session_cookie_is_refused_after_logout(app, client, auth):
    auth.login()
    thief = app.test_client()
    copy_cookies(client, thief, "session")
    assert signed_in(thief)
    auth.logout()
    assert not signed_in(thief)


def test_session_id_changes_at_sign_in(app, client, auth):
    client.get("/login")
    before = client.get_cookie("session").value
    auth.login()
    assert client.get_cookie("session").value != before


def test_remember_cookie_restores_a_session(app, client, auth):
    auth.login(remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    browser_restarted = app.test_client()
    copy_cookies(client, browser_restarted, "remember_token")
    assert signed_in(browser_restarted)


def test_a_session_restored_from_the_remember_cookie_issues_the_cookie_anew(app, client, auth):
    """The restored session is signed in again, so its remember cookie lasts as long as it."""
    auth.login(remember=True)
    browser_restarted = app.test_client()
    copy_cookies(client, browser_restarted, "remember_token")
    response = browser_restarted.get("/dashboard")
    assert response.status_code == 200
    set_cookies = response.headers.getlist("Set-Cookie")
    assert any(cookie.startswith("remember_token=") for cookie in set_cookies)


def test_remember_cookie_is_not_set_without_the_checkbox(client, auth):
    auth.login()
    assert client.get_cookie("remember_token") is None


def test_replayed_remember_cookie_is_refused_after_logout(app, client, auth):
    auth.login(remember=True)
    thief = app.test_client()
    copy_cookies(client, thief, "remember_token")
    auth.logout()
    assert client.get_cookie("remember_token") is None  # the browser's copy is deleted
    assert not signed_in(thief)


def test_session_from_remember_cookie_must_confirm_password_for_sensitive_pages(app, client, auth):
    auth.login(remember=True)
    restored = app.test_client()
    copy_cookies(client, restored, "remember_token")
    assert signed_in(restored)
    response = restored.get("/account")
    assert response.status_code == 302
    assert response.location == "/reauthenticate?next=%2Faccount"
    page = restored.get(response.location).get_data(as_text=True)
    assert "Please enter your password again to continue." in page
    again = AuthActions(restored)
    wrong = again.post("/reauthenticate?next=%2Faccount", {"password": "not it at all"})
    assert wrong.status_code == 200
    assert "not correct" in wrong.get_data(as_text=True)
    response = again.post("/reauthenticate?next=%2Faccount", {"password": PASSWORD})
    assert response.location == "/account"
    assert restored.get("/account").status_code == 200


def test_reauthenticate_ignores_offsite_next(app, client, auth):
    auth.login()
    response = auth.post("/reauthenticate?next=//evil.example", {"password": PASSWORD})
    assert response.location == "/dashboard"


def test_activity_lists_sessions_and_sign_ins(app, client, auth):
    auth.login("ada", "a wrong guess!")
    auth.login()
    page = client.get("/account/activity").get_data(as_text=True)
    assert "this session" in page
    assert "127.0.0.1" in page
    events, sign_ins = page.split("Recent sign-ins")
    assert sign_ins.count(">success<") == 1
    assert sign_ins.count(">failed<") == 1
    assert events.count(">auth.sign_in<") == 2  # the account's events list them too
