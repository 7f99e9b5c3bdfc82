"""Checking a username and password, for a sign-in or to confirm a sensitive action."""

from emolytics import passwords
from emolytics.accounts import attempts, audit
from emolytics.accounts.errors import LoginFailed, LoginThrottled
from emolytics.accounts.registration import USERNAME_PATTERN, find_user
from emolytics.accounts.stored import printable
from emolytics.extensions import db
from emolytics.tables import User, utcnow


def authenticate(
    username: str,
    password: str,
    *,
    ip: str | None,
    user_agent: str | None,
    action: str = "auth.sign_in",
) -> User:
    """The active user these credentials name, recording the attempt (in the audit log too, as
    `action`: refused when throttled, failed or ok).

    An unknown username costs the same hash check as a wrong password and gets the same
    LoginFailed; repeated failures for one username raise LoginThrottled until their delay
    has passed. Refusals are committed at once; a success is left in the transaction for the
    caller to commit with what follows (`sessions.start_session` does), so a sign-in is one
    commit.
    """
    username_key = printable(username.lower(), 80) or ""
    user = find_user(username) if USERNAME_PATTERN.fullmatch(username) else None
    wait = attempts.remaining_delay(username_key)
    if wait:
        attempts.record_attempt(username, user, ip, user_agent, success=False, throttled=True)
        audit_attempt(action, username, user, ip, "refused")
        db.session.commit()
        raise LoginThrottled(wait)
    if user is None:
        passwords.verify(passwords.dummy_hash(), password)
        matches = False
    else:
        matches = user.check_password(password) and user.is_active
    attempts.record_attempt(username, user, ip, user_agent, success=matches)
    audit_attempt(action, username, user, ip, "ok" if matches else "failed")
    if not matches or user is None:
        db.session.commit()
        raise LoginFailed()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return user


def confirm_password(user: User, password: str, *, ip: str | None, user_agent: str | None) -> None:
    """The signed-in user types the password again (a fresh sign-in for sensitive actions)."""
    authenticate(
        user.username, password, ip=ip, user_agent=user_agent, action="auth.password_confirmed"
    )
    db.session.commit()


def audit_attempt(
    action: str, username: str, user: User | None, ip: str | None, outcome: str
) -> None:
    """The attempt in the audit log, in the attempt's transaction: a refusal commits it at once,
    a success with the session it starts. An unknown username is kept as typed, with no id."""
    if user is None:
        actor_id, target = None, f'unknown user "{username}"'
    else:
        actor_id, target = user.id, audit.named("user", user.id, user.username)
    audit.record(audit.Event(action, audit.Actor(actor_id, username, ip), None, target, outcome))
