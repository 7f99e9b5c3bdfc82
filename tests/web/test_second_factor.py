"""The second factor: enrolling an authenticator app, the second step of a sign-in (codes,
replays, the time window, recovery codes, throttling, `next`, the pending marker's expiry),
reauthentication, turning it off and new recovery codes."""

import re
import time

import pyotp
import pytest
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from emolytics.accounts import attempts, registration, second_factor
from emolytics.extensions import db
from emolytics.tables import RecoveryCode, TotpSecret, UserSession
from tests.conftest import PASSWORD, TOTP_T0, AuthActions, TotpClock

T0 = TOTP_T0
SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
CODE = re.compile(r"<li><code>([a-z2-9-]{19})</code></li>")


@pytest.fixture
def app(totp_app):
    return totp_app


def code_at(secret: str, moment: float) -> str:
    return pyotp.TOTP(secret).at(moment)


def enrol(client: FlaskClient, auth: AuthActions, clock: TotpClock) -> tuple[str, list[str]]:
    """Sign in, set up the app with the code of now; (secret, recovery codes); signed out."""
    auth.login()
    assert auth.post("/account/second-factor/app", {}, "/account/second-factor").status_code == 302
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = SECRET.search(page).group(1).replace(" ", "")
    assert "data:image/svg+xml" in page  # the QR code, drawn locally
    response = auth.post(
        "/account/second-factor/app/confirm",
        {"code": code_at(secret, clock.now)},
        "/account/second-factor",
    )
    assert response.status_code == 200
    codes = CODE.findall(response.get_data(as_text=True))
    auth.logout()
    return secret, codes


def second_step(auth: AuthActions, code: str, next_url: str | None = None):
    url = "/login/second-factor" + (f"?next={next_url}" if next_url else "")
    return auth.post(url, {"code": code}, "/login/second-factor")


def signed_in(client: FlaskClient) -> bool:
    return client.get("/dashboard").status_code == 200


def session_rows(app) -> list[UserSession]:
    with app.app_context():
        return list(db.session.scalars(select(UserSession)))


def test_enrolment_needs_the_right_code_before_it_is_on(app, client, auth, clock):
    auth.login()
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "Set up an authenticator app" in page
    auth.post("/account/second-factor/app", {}, "/account/second-factor")
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = SECRET.search(page).group(1).replace(" ", "")
    assert len(secret) == 32
    wrong = code_at(secret, clock.now + 120)
    response = auth.post(
        "/account/second-factor/app/confirm", {"code": wrong}, "/account/second-factor"
    )
    assert response.status_code == 400
    assert "That code is not right" in response.get_data(as_text=True)
    with app.app_context():
        assert not second_factor.has_second_factor(1)
        record = db.session.get(TotpSecret, 1)
        assert secret not in record.sealed_secret  # stored sealed, not as it is
    response = auth.post(
        "/account/second-factor/app/confirm",
        {"code": code_at(secret, clock.now)},
        "/account/second-factor",
    )
    assert response.status_code == 200
    codes = CODE.findall(response.get_data(as_text=True))
    assert len(set(codes)) == 10
    with app.app_context():
        assert second_factor.has_second_factor(1)
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not set(codes) & set(hashes)
    assert "Signing in asks for a code" in client.get("/account/second-factor").get_data(
        as_text=True
    )


def test_the_second_factor_page_needs_a_fresh_sign_in(app, client, auth):
    auth.login()
    with client.session_transaction() as session:
        session["_fresh"] = False
    response = client.get("/account/second-factor")
    assert response.status_code == 302
    assert response.location.startswith("/reauthenticate")


def test_a_password_alone_signs_nobody_in(app, client, auth, clock):
    enrol(client, auth, clock)
    response = auth.login(remember=True)
    assert response.status_code == 302
    assert response.location == "/login/second-factor"
    assert session_rows(app) == []  # no server-side session yet
    assert client.get_cookie("remember_token") is None
    assert not signed_in(client)
    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert session["second_factor_pending"]["remember"] is True


def test_the_right_code_signs_in_with_the_remember_choice(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(30)
    auth.login(remember=True)
    response = second_step(auth, code_at(secret, clock.now))
    assert response.status_code == 302
    assert response.location == "/dashboard"
    assert signed_in(client)
    assert client.get_cookie("remember_token") is not None
    [row] = session_rows(app)
    assert row.second_factor is True and row.remember is True


def test_a_wrong_code_is_refused(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(30)
    auth.login()
    response = second_step(auth, "000000" if code_at(secret, clock.now) != "000000" else "111111")
    assert response.status_code == 400
    assert "That code is not right, or it was already used." in response.get_data(as_text=True)
    assert not signed_in(client)
    assert session_rows(app) == []


def test_a_used_code_cannot_be_replayed(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    auth.login()
    # the code that confirmed the enrolment, still within its step
    assert second_step(auth, code_at(secret, clock.now)).status_code == 400
    assert second_step(auth, code_at(secret, clock.now + 30)).status_code == 302
    auth.logout()
    auth.login()
    assert second_step(auth, code_at(secret, clock.now + 30)).status_code == 400
    assert not signed_in(client)


@pytest.mark.parametrize("offset", [-30, 0, 30])
def test_codes_of_the_step_before_and_after_are_accepted(app, client, auth, clock, offset):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    assert second_step(auth, code_at(secret, clock.now + offset)).status_code == 302


@pytest.mark.parametrize("offset", [-60, 60, 3600])
def test_codes_outside_the_window_are_refused(app, client, auth, clock, offset):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    assert second_step(auth, code_at(secret, clock.now + offset)).status_code == 400
    assert not signed_in(client)


def test_a_recovery_code_works_once(app, client, auth, clock):
    _, codes = enrol(client, auth, clock)
    auth.login()
    response = second_step(auth, codes[0].upper().replace("-", " "))  # as people type them
    assert response.status_code == 302
    assert "recovery code" in client.get("/dashboard").get_data(as_text=True)
    auth.logout()
    auth.login()
    assert second_step(auth, codes[0]).status_code == 400
    assert second_step(auth, codes[1]).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_(None))
            )
            == 8
        )


def test_wrong_codes_bring_a_growing_delay(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    for _ in range(attempts.FREE_FAILURES):
        assert second_step(auth, "12345x").status_code == 400
    response = second_step(auth, code_at(secret, clock.now))  # right, but too soon
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert not signed_in(client)
    # a correct password does not reset the count of wrong codes
    auth.login()
    assert second_step(auth, code_at(secret, clock.now)).status_code == 429


def test_next_is_carried_through_the_second_step(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    response = auth.login(next_url="/datasets/new")
    assert response.location == "/login/second-factor?next=/datasets/new"
    response = second_step(auth, code_at(secret, clock.now), "%2Fdatasets%2Fnew")
    assert response.location == "/datasets/new"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x", "/%5Cevil"])
def test_next_stays_same_site(app, client, auth, clock, target):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    response = auth.login(next_url=target)
    assert response.location == "/login/second-factor"
    response = second_step(auth, code_at(secret, clock.now), target)
    assert response.location == "/dashboard"


def test_the_pending_sign_in_expires(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    with client.session_transaction() as session:
        session["second_factor_pending"] = {
            **session["second_factor_pending"],
            "at": time.time() - 301,
        }
    response = client.get("/login/second-factor")
    assert response.status_code == 302
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Your sign-in has expired" in page
    response = auth.post("/login/second-factor", {"code": code_at(secret, clock.now)}, "/login")
    assert response.status_code == 302
    assert not signed_in(client)


def test_the_second_step_without_a_password_first_goes_back_to_sign_in(app, client):
    response = client.get("/login/second-factor?next=%2Fmodels")
    assert response.status_code == 302
    assert response.location == "/login?next=/models"


def test_a_password_change_voids_a_pending_sign_in(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    with app.app_context():
        user = registration.find_user("ada")
        user.alt_id = "rotated-by-a-password-change"
        db.session.commit()
    assert client.get("/login/second-factor").status_code == 302


def test_reauthentication_asks_for_the_second_factor(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    second_step(auth, code_at(secret, clock.now))
    with client.session_transaction() as session:
        session["_fresh"] = False
    page = client.get("/reauthenticate").get_data(as_text=True)
    assert "Authentication code or recovery code" in page
    response = auth.post("/reauthenticate?next=%2Faccount", {"password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302  # still not fresh
    clock.advance(30)
    response = auth.post(
        "/reauthenticate?next=%2Faccount",
        {"password": PASSWORD, "code": code_at(secret, clock.now)},
    )
    assert response.location == "/account"
    assert client.get("/account").status_code == 200


def test_turning_the_app_off_needs_the_password(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    second_step(auth, code_at(secret, clock.now))
    response = auth.post(
        "/account/second-factor/app/disable", {"password": "not it"}, "/account/second-factor"
    )
    assert response.status_code == 400
    assert "not correct" in response.get_data(as_text=True)
    response = auth.post(
        "/account/second-factor/app/disable", {"password": PASSWORD}, "/account/second-factor"
    )
    assert response.status_code == 302
    with app.app_context():
        assert not second_factor.has_second_factor(1)
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    auth.logout()
    assert auth.login().location == "/dashboard"  # the password alone again


def test_new_recovery_codes_replace_the_old_ones(app, client, auth, clock):
    secret, old = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    second_step(auth, code_at(secret, clock.now))
    page = client.get("/account/second-factor/recovery-codes")
    assert page.status_code == 200
    assert "Make new recovery codes?" in page.get_data(as_text=True)
    response = auth.post(
        "/account/second-factor/recovery-codes", {}, "/account/second-factor/recovery-codes"
    )
    assert response.status_code == 200
    new = CODE.findall(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    auth.logout()
    auth.login()
    assert second_step(auth, old[0]).status_code == 400
    assert second_step(auth, new[0]).status_code == 302


def test_recovery_codes_need_a_second_factor(app, client, auth):
    auth.login()
    response = auth.post(
        "/account/second-factor/recovery-codes", {}, "/account/second-factor/recovery-codes"
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_a_session_before_the_second_factor_is_not_marked(app, client, auth):
    auth.login()
    [row] = session_rows(app)
    assert row.second_factor is False


def test_the_migration_adds_and_removes_the_second_factor(app, client, auth, clock):
    enrol(client, auth, clock)
    auth.login()  # a password-only sign-in before the upgrade
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0008_teams")
        upgrade(directory=directory)
        assert db.session.scalar(select(func.count()).select_from(TotpSecret)) == 0
        assert not second_factor.has_second_factor(1)
    assert auth.login().location == "/dashboard"
    assert [row.second_factor for row in session_rows(app)] == [False]


def test_turning_it_on_ends_the_sessions_of_a_password_alone(app, client, auth, clock):
    elsewhere = app.test_client()
    AuthActions(elsewhere).login(remember=True)
    assert signed_in(elsewhere)
    remember_cookie = elsewhere.get_cookie("remember_token").value
    auth.login()
    auth.post("/account/second-factor/app", {}, "/account/second-factor")
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = SECRET.search(page).group(1).replace(" ", "")
    auth.post(
        "/account/second-factor/app/confirm",
        {"code": code_at(secret, clock.now)},
        "/account/second-factor",
    )
    assert not signed_in(elsewhere)
    restored = app.test_client()
    restored.set_cookie("remember_token", remember_cookie)
    assert not signed_in(restored)  # its remember cookie ended with it
    assert signed_in(client)  # the session that turned it on stays, marked
    assert [row.second_factor for row in session_rows(app)] == [True]


def test_the_activity_page_tells_the_second_step_apart(app, client, auth, clock):
    secret, _ = enrol(client, auth, clock)
    clock.advance(300)
    auth.login()
    second_step(auth, "999999" if code_at(secret, clock.now) != "999999" else "888888")
    second_step(auth, code_at(secret, clock.now))
    page = client.get("/account/activity").get_data(as_text=True)
    assert "failed (second step)" in page
    assert "success (second step)" in page


def test_an_administrator_can_remove_a_lost_second_factor(app, client, auth, clock, runner):
    enrol(client, auth, clock)
    result = runner.invoke(["users", "remove-second-factor", "ada"])
    assert result.exit_code == 0
    assert "has no second factor now" in result.output
    assert auth.login().location == "/dashboard"
    assert runner.invoke(["users", "remove-second-factor", "nobody"]).exit_code != 0
