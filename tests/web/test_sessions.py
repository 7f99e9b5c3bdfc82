"""Server-side sessions: logout, remember cookies, freshness, password change, sign-out."""

from datetime import timedelta

from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, event, func, select, update

from emolytics import session_addresses
from emolytics.extensions import db
from emolytics.tables import LoginEvent, SessionAddress, User, UserSession, utcnow
from tests.conftest import PASSWORD, AuthActions

NEW_PASSWORD = "copper kettle sings 42"


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def copy_cookies(source: FlaskClient, target: FlaskClient, *names: str) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        target.set_cookie(name, cookie.value)


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UserSession))


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


def test_password_change_ends_other_sessions_and_remember_cookies(app, client, auth):
    auth.login(remember=True)
    laptop = app.test_client()
    AuthActions(laptop).login(remember=True)
    stolen_remember = app.test_client()
    copy_cookies(laptop, stolen_remember, "remember_token")
    response = auth.post(
        "/account",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "Every other session has been signed out" in client.get("/account").get_data(
        as_text=True
    )
    assert signed_in(client)
    assert not signed_in(laptop)
    assert not signed_in(stolen_remember)
    fresh = AuthActions(app.test_client())
    assert fresh.login(password=PASSWORD).status_code == 200  # the old one fails
    assert fresh.login(password=NEW_PASSWORD).location == "/dashboard"


def test_own_remember_cookie_keeps_working_after_password_change(app, client, auth):
    auth.login(remember=True)
    auth.post(
        "/account",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    restarted = app.test_client()
    copy_cookies(client, restarted, "remember_token")
    assert signed_in(restarted)


def test_password_change_rotates_the_flask_login_id(app, client, auth):
    with app.app_context():
        old_alt_id = db.session.scalar(select(User.alt_id))
    auth.login()
    auth.post(
        "/account",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.alt_id != old_alt_id
        assert str(user.id) != user.alt_id


def test_password_change_refusals(app, client, auth):
    auth.login()
    cases = [
        ({"current_password": "wrong one!", "new_password": NEW_PASSWORD}, "not correct"),
        ({"current_password": PASSWORD, "new_password": "password123"}, "commonly used"),
        ({"current_password": PASSWORD, "new_password": "short"}, "between 8 and 1024"),
    ]
    for form, message in cases:
        response = auth.post("/account", {**form, "confirm": form["new_password"]})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    mismatch = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": "other"}
    assert "Passwords differ." in auth.post("/account", mismatch).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)).check_password(PASSWORD)


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


def test_a_session_presented_by_another_browser_is_refused_and_ended(app, client, auth):
    auth.login()
    assert client.get("/dashboard", headers={"User-Agent": "Other/1.0"}).status_code == 302
    assert not signed_in(client)  # the session is gone for the original browser too
    assert session_count(app) == 0  # and on the server: a copied cookie cannot try again


def test_a_remember_cookie_presented_by_another_browser_is_refused_and_deleted(app, client, auth):
    auth.login(remember=True)
    thief = app.test_client()
    copy_cookies(client, thief, "remember_token")
    response = thief.get("/dashboard", headers={"User-Agent": "Other/1.0"})
    assert response.status_code == 302
    assert thief.get_cookie("remember_token") is None  # deleted with the answer
    assert session_count(app) == 0
    assert not signed_in(client)


def at(client: FlaskClient, ip: str) -> FlaskClient:
    """`client`, its next requests coming from `ip` (a phone that changed networks)."""
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def test_a_session_used_from_a_new_address_stays_signed_in(app, client, auth):
    at(client, "192.0.2.10")
    auth.login()
    assert signed_in(at(client, "198.51.100.7"))
    assert signed_in(at(client, "192.0.2.10"))
    assert session_count(app) == 1
    page = client.get("/account/activity").get_data(as_text=True)
    assert "192.0.2.10" in page and "198.51.100.7" in page
    with app.app_context():
        assert db.session.scalar(select(UserSession.ip)) == "192.0.2.10"  # the latest
        addresses = db.session.scalars(select(SessionAddress.ip)).all()
    assert sorted(addresses) == ["192.0.2.10", "198.51.100.7"]


def test_a_remember_cookie_restores_the_session_at_a_new_address(app, client, auth):
    at(client, "192.0.2.10")
    auth.login(remember=True)
    phone = at(app.test_client(), "203.0.113.99")
    copy_cookies(client, phone, "remember_token")
    assert signed_in(phone)
    assert signed_in(phone)  # and the restored session stays
    page = phone.get("/account/activity").get_data(as_text=True)
    assert "192.0.2.10" in page and "203.0.113.99" in page


def test_only_a_change_of_address_is_written(app, client, auth):
    auth.login()
    writes: list[str] = []

    def count(connection, cursor, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    for _ in range(5):
        assert signed_in(client)
    assert writes == []  # the same address: nothing (the last-seen stamp is once a minute)
    for _ in range(5):
        assert signed_in(at(client, "198.51.100.7"))
    assert len(writes) == 3  # one move: the stamp, the address, dropping the oldest (none yet)


def test_a_new_address_of_a_session_ended_meanwhile_is_no_error(app, client, auth):
    """A sign-out in another tab commits between this request's lookup and its address."""
    auth.login()
    assert signed_in(client)  # cached by this process
    with app.app_context():
        db.session.execute(delete(UserSession))  # its counter not raised yet
        db.session.commit()
    assert at(client, "198.51.100.7").get("/dashboard").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionAddress)) == 0


def test_a_session_keeps_its_newest_addresses(app, client, auth):
    auth.login()
    kept = session_addresses.ADDRESSES_KEPT
    for host in range(1, kept + 6):
        assert signed_in(at(client, f"198.51.100.{host}"))
    with app.app_context():
        addresses = db.session.scalars(select(SessionAddress.ip)).all()
    assert len(addresses) == kept
    assert f"198.51.100.{kept + 5}" in addresses and "127.0.0.1" not in addresses


def test_sign_out_one_other_session(app, client, auth):
    auth.login()
    phone = app.test_client()
    AuthActions(phone).login()
    with app.app_context():
        ids = db.session.scalars(select(UserSession.id).order_by(UserSession.id)).all()
    page = client.get("/account/activity").get_data(as_text=True)
    assert f'/account/sessions/{ids[1]}/revoke"' in page  # the other one has a button
    assert f'/account/sessions/{ids[0]}/revoke"' not in page  # this one does not
    response = auth.post(f"/account/sessions/{ids[1]}/revoke", {})
    assert response.location == "/account/activity"
    assert not signed_in(phone)
    assert signed_in(client)


def test_sign_out_everywhere_else(app, client, auth):
    auth.login()
    others = [app.test_client() for _ in range(2)]
    for other in others:
        AuthActions(other).login(remember=True)
    auth.post("/account/sessions/revoke-others", {})
    assert signed_in(client)
    assert not any(signed_in(other) for other in others)
    assert session_count(app) == 1


def test_cannot_end_another_users_session(app, client, auth):
    AuthActions(app.test_client()).register("grace", "violet harbour 1987")
    with app.app_context():
        grace_session = db.session.scalar(select(UserSession.id))
    auth.login()
    url = f"/account/sessions/{grace_session}/revoke"
    assert auth.post(url, {}, token_from="/account/activity").status_code == 404
    assert session_count(app) == 2


def test_idle_session_expires(app, client, auth):
    auth.login()
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    assert not signed_in(client)


def test_disabling_a_user_ends_their_sessions(app, client, auth, runner):
    auth.login()
    result = runner.invoke(["users", "disable", "ada"])
    assert result.exit_code == 0, result.output
    assert not signed_in(client)


def test_delete_account_removes_everything(app, client, auth, api):
    auth.login()
    wrong = auth.post("/account/delete", {"password": "not my password"}, token_from="/account")
    assert wrong.status_code == 400
    assert "not correct" in wrong.get_data(as_text=True)
    response = auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")
    assert response.location == "/login"
    assert not signed_in(client)
    with app.app_context():
        for model in (User, UserSession, LoginEvent):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert api.get("/api/v1/me").status_code == 401
    assert AuthActions(app.test_client()).login().status_code == 200  # no such user now


def test_delete_account_needs_a_fresh_login(app, client, auth):
    auth.login(remember=True)
    restored = app.test_client()
    copy_cookies(client, restored, "remember_token")
    restored.get("/dashboard")
    response = AuthActions(restored).post(
        "/account/delete", {"password": PASSWORD}, token_from="/dashboard"
    )
    assert response.status_code == 302
    assert response.location.startswith("/reauthenticate")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_migration_gives_live_sessions_their_address(app, client, auth):
    at(client, "192.0.2.10")
    auth.login()
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0005_bulk_rows")
        upgrade(directory=directory)
    assert signed_in(client)
    assert "192.0.2.10" in client.get("/account/activity").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(SessionAddress.ip)).all() == ["192.0.2.10"]
