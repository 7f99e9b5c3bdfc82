"""Sessions ended: password change, signing out others, idling, a disabled or deleted account."""

from datetime import timedelta

from sqlalchemy import func, select, update

from emolytics.extensions import db
from emolytics.tables import LoginEvent, User, UserSession, utcnow
from tests.conftest import PASSWORD, AuthActions
from tests.web.session_checks import NEW_PASSWORD, copy_cookies, session_count, signed_in


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
