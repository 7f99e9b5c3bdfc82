"""The second step of a sign-in: codes, replays, the time window, recovery codes, `next`, expiry."""

import time

import pytest
from sqlalchemy import func, select

from emolytics.accounts import attempts, registration
from emolytics.extensions import db
from emolytics.tables import RecoveryCode
from tests.web.second_factor_steps import code_at, enrol, second_step, session_rows, signed_in


@pytest.fixture
def app(totp_app):
    return totp_app


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
