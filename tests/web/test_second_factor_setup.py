"""The second factor managed: enrolment, reauthentication, turning it off, recovery codes."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from emolytics.accounts import second_factor
from emolytics.extensions import db
from emolytics.tables import RecoveryCode, TotpSecret
from tests.conftest import PASSWORD, AuthActions
from tests.web.second_factor_steps import (
    CODE,
    SECRET,
    code_at,
    enrol,
    second_step,
    session_rows,
    signed_in,
)


@pytest.fixture
def app(totp_app):
    return totp_app


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
