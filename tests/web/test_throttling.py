"""Rate limits (Flask-Limiter) and the growing per-account delay after failed sign-ins."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from emolytics import passwords
from emolytics.accounts import attempts, errors, registration, signin
from emolytics.extensions import db
from emolytics.tables import LoginEvent, utcnow
from tests.conftest import PASSWORD, AuthActions


def from_ip(app, ip: str) -> AuthActions:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return AuthActions(client)


def age_events(app, seconds: float) -> None:
    """Pretend every recorded attempt happened `seconds` earlier."""
    with app.app_context():
        for event in db.session.scalars(select(LoginEvent)):
            event.at = event.at - timedelta(seconds=seconds)
        db.session.commit()


def test_per_ip_limit_answers_429_with_a_page(app):
    visitor = from_ip(app, "198.51.100.7")
    for attempt in range(10):
        response = visitor.login(f"someone{attempt}", "wrong password")
        assert response.status_code == 200
    response = visitor.login("someone-else", "wrong password")
    assert response.status_code == 429
    assert "Too many" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    assert from_ip(app, "198.51.100.8").login().status_code == 302  # others are unaffected


def test_per_account_limit_counts_across_ips(app):
    for attempt in range(5):
        visitor = from_ip(app, f"203.0.113.{attempt}")
        assert visitor.login().status_code == 302
    response = from_ip(app, "203.0.113.99").login()
    assert response.status_code == 429


def test_registration_is_rate_limited_per_ip(app):
    visitor = from_ip(app, "192.0.2.1")
    for attempt in range(5):
        assert visitor.register(f"bad name {attempt}").status_code == 400
    assert visitor.register("grace", "violet harbour 1987").status_code == 429


@pytest.mark.parametrize("username", ["ada", "nobody-here"])
def test_failures_bring_a_growing_delay(app, username):
    visitor = from_ip(app, "198.51.100.20")
    for _ in range(attempts.FREE_FAILURES):
        assert visitor.login(username, "wrong password").status_code == 200
    response = visitor.login(username, PASSWORD)  # even the right password must wait
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "1"
    age_events(app, 2)
    if username == "ada":
        assert visitor.login(username, PASSWORD).status_code == 302
    else:
        assert visitor.login(username, PASSWORD).status_code == 200


def test_delay_doubles_and_is_capped(app):
    with app.app_context():

        def delay_after(failures: int) -> int:
            db.session.execute(update(LoginEvent).values(username_key="gone"))
            for _ in range(failures):
                db.session.add(LoginEvent(username="ada", username_key="ada", success=False))
            db.session.commit()
            return attempts.remaining_delay("ada")

        assert delay_after(2) == 0
        assert delay_after(3) == 1
        assert delay_after(4) == 2
        assert delay_after(6) == 8
        assert delay_after(19) == int(attempts.MAX_DELAY.total_seconds())


def test_a_success_resets_the_failures(app):
    visitor = from_ip(app, "198.51.100.30")
    for _ in range(2):
        visitor.login("ada", "wrong password")
    assert visitor.login().status_code == 302
    visitor.logout()
    for _ in range(2):
        assert visitor.login("ada", "wrong password").status_code == 200
    with app.app_context():
        assert attempts.remaining_delay("ada") == 0  # 4 failures, but a success between


def test_blocked_attempts_show_on_the_activity_page(app, client, auth):
    for _ in range(attempts.FREE_FAILURES + 1):
        auth.login("ada", "wrong password")
    age_events(app, 10)
    auth.login()
    page = client.get("/account/activity").get_data(as_text=True)
    events, sign_ins = page.split("Recent sign-ins")
    assert sign_ins.count(">failed<") == attempts.FREE_FAILURES
    assert "blocked (too many attempts)" in sign_ins
    assert events.count(">refused<") == 1  # the account's events: the blocked attempt


def test_unknown_user_costs_the_same_hash_check(app, monkeypatch):
    checks: list[str] = []
    real_verify = passwords.verify

    def counting_verify(password_hash: str, password: str) -> bool:
        checks.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify", counting_verify)
    with app.app_context():
        for username in ("ada", "nobody"):
            with pytest.raises(errors.LoginFailed) as failure:
                signin.authenticate(username, "wrong password", ip=None, user_agent=None)
            assert str(failure.value) == "Invalid username or password."
        assert len(checks) == 2
        assert all(check.startswith("$argon2id$v=19$m=19456,t=2,p=1$") for check in checks)


def test_login_rehashes_when_parameters_change(app, auth):
    with app.app_context():
        user = registration.find_user("ada")
        from argon2 import PasswordHasher

        user.password_hash = PasswordHasher(time_cost=3, memory_cost=19456).hash(PASSWORD)
        db.session.commit()
    assert auth.login().status_code == 302
    with app.app_context():
        assert "t=2" in registration.find_user("ada").password_hash


def test_events_record_ip_and_user_agent(app):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR="192.0.2.55", HTTP_USER_AGENT="Firefox/140 test")
    AuthActions(client).login()
    with app.app_context():
        event = db.session.scalar(select(LoginEvent))
        assert (event.ip, event.user_agent, event.success) == (
            "192.0.2.55",
            "Firefox/140 test",
            True,
        )
        assert event.at > utcnow() - timedelta(minutes=1)


def test_rate_limits_turned_off_leave_the_per_account_delay(app, app_factory):
    """RATELIMIT_ENABLED=False (Flask-Limiter's switch, e.g. behind a proxy that limits) starts
    the app without per-address limits; failed sign-ins still slow the account down, and the
    next app built with the default has its limits again."""
    relaxed = app_factory(RATELIMIT_ENABLED=False)  # on the database of `app`, where ada is
    visitor = from_ip(relaxed, "198.51.100.30")
    for attempt in range(12):
        assert visitor.login(f"someone{attempt}", "wrong password").status_code == 200
    for _ in range(attempts.FREE_FAILURES + 1):
        visitor.login("ada", "wrong password")
    assert "Too many failed sign-ins for this account" in visitor.login().get_data(as_text=True)

    strict = app_factory()  # on the same database
    visitor = from_ip(strict, "198.51.100.31")
    for attempt in range(10):
        assert visitor.login(f"someone{attempt}", "wrong password").status_code == 200
    assert visitor.login("someone-else", "wrong password").status_code == 429
