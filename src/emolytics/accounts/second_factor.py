"""The second factor as a whole: who has one, the throttled second step of a sign-in, and
what the teams that require one can check.

A user *has a second factor* once an authenticator app is confirmed or a passkey is
registered. After a correct password such a user is not signed in until `check_code` (or a
passkey, `passkeys.authenticate`) passes; the session row then records it
(`UserSession.second_factor`, `LiveSession.second_factor` on a request).
"""

from dataclasses import dataclass, replace

from sqlalchemy import delete, exists, select, update

from emolytics import caching
from emolytics.accounts import attempts, passkeys, recovery_codes, signin, totp
from emolytics.accounts.errors import LoginThrottled, SecondFactorError, SecondFactorFailed
from emolytics.extensions import db
from emolytics.tables import Passkey, RecoveryCode, TotpSecret, User, UserSession, utcnow


def has_second_factor(user_id: int) -> bool:
    """Whether `user_id` must pass a second step to sign in (an app or a passkey)."""
    app = exists().where(TotpSecret.user_id == user_id, TotpSecret.confirmed_at.is_not(None))
    passkey = exists().where(Passkey.user_id == user_id)
    return bool(db.session.scalar(select(app | passkey)))


def session_passed_second_factor(user: User) -> bool:
    """Whether the sign-in this request came with passed a second factor (no query)."""
    return user.current_session is not None and user.current_session.second_factor


@dataclass(frozen=True, slots=True)
class Overview:
    """What the second-factor page shows."""

    app_enabled: bool
    recovery_codes_left: int
    has_recovery_codes: bool


def overview(user_id: int) -> Overview:
    any_code = db.session.scalar(select(exists().where(RecoveryCode.user_id == user_id)))
    return Overview(totp.enabled(user_id), recovery_codes.remaining(user_id), bool(any_code))


def _attempt(
    user: User,
    ip: str | None,
    user_agent: str | None,
    *,
    success: bool,
    throttled: bool = False,
    action: str = "auth.second_factor",
) -> None:
    """A second step (or a passwordless sign-in) in the sign-ins table and the audit log."""
    key = None if action == "auth.passkey_sign_in" else throttle_key(user.id)
    attempts.record_attempt(
        user.username, user, ip, user_agent, success=success, throttled=throttled, key=key
    )
    outcome = "refused" if throttled else "ok" if success else "failed"
    signin.audit_attempt(action, user.username, user, ip, outcome)


def _refuse_while_throttled(user: User, ip: str | None, user_agent: str | None) -> None:
    """LoginThrottled (recorded and committed) while wrong second steps make `user` wait."""
    wait = attempts.remaining_delay(throttle_key(user.id))
    if wait:
        _attempt(user, ip, user_agent, success=False, throttled=True)
        db.session.commit()
        raise LoginThrottled(wait)


def throttle_key(user_id: int) -> str:
    """The key the second step's failures are counted under (usernames hold no ':')."""
    return f"second-factor:{user_id}"


def check_code(user: User, code: str, *, ip: str | None, user_agent: str | None, now: float) -> str:
    """Pass the second step with an app's code or a recovery code; which one it was.

    Wrong codes count towards a growing delay for this user, like wrong passwords: while it
    runs, LoginThrottled; a wrong, replayed or spent code raises SecondFactorFailed. Refusals
    are committed; a success is left in the transaction for the sign-in that follows.
    """
    _refuse_while_throttled(user, ip, user_agent)
    method = None
    if totp.accept_code(user.id, code, now):
        method = "app"
    elif recovery_codes.use_code(user.id, code):
        method = "recovery code"
    _attempt(user, ip, user_agent, success=bool(method))
    if method is None:
        db.session.commit()
        raise SecondFactorFailed()
    return method


def check_passkey(
    user: User,
    credential: object,
    party: passkeys.RelyingParty,
    challenge: bytes,
    *,
    ip: str | None,
    user_agent: str | None,
) -> None:
    """Pass the second step with one of `user`'s passkeys, throttled like `check_code`;
    PasskeyError (committed) when it is refused."""
    _refuse_while_throttled(user, ip, user_agent)
    try:
        passkeys.authenticate(credential, party, challenge, user_id=user.id, verify_user=False)
    except passkeys.PasskeyError:
        db.session.rollback()
        _attempt(user, ip, user_agent, success=False)
        db.session.commit()
        raise
    _attempt(user, ip, user_agent, success=True)


def passkey_sign_in(
    credential: object,
    party: passkeys.RelyingParty,
    challenge: bytes,
    *,
    ip: str | None,
    user_agent: str | None,
) -> User:
    """Passwordless: the user whose discoverable passkey verified them (PIN, fingerprint),
    recorded as a sign-in; PasskeyError when it is refused."""
    user = passkeys.authenticate(credential, party, challenge, user_id=None, verify_user=True)
    _attempt(user, ip, user_agent, success=True, action="auth.passkey_sign_in")
    user.last_login_at = utcnow()
    return user


def confirm_again(
    user: User,
    password: str,
    code: str,
    *,
    ip: str | None,
    user_agent: str | None,
    now: float,
) -> None:
    """Reauthentication: the password, then the second factor if the user has one, committed.

    A session that passes a code here counts as having passed a second factor from now on.
    """
    signin.confirm_password(user, password, ip=ip, user_agent=user_agent)
    if has_second_factor(user.id):
        check_code(user, code, ip=ip, user_agent=user_agent, now=now)
        mark_session(user)
    db.session.commit()


def mark_session(user: User) -> None:
    """Record that the current sign-in of `user` passed a second factor (caller commits)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == user.current_session.id)
        .values(second_factor=True)
    )
    caching.changed_after_commit(db.session, [user.alt_id])
    user.current_session = replace(user.current_session, second_factor=True)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes, the old ones no longer usable; SecondFactorError without a
    second factor (they are a way around one)."""
    if not has_second_factor(user.id):
        raise SecondFactorError("Set up an authenticator app or a passkey first.")
    codes = recovery_codes.replace_codes(user.id)
    db.session.commit()
    return codes


def remove_all(user: User) -> None:
    """An administrator's rescue (CLI) for a user who lost every factor and recovery code:
    the app, the passkeys and the codes go, committed."""
    db.session.execute(delete(TotpSecret).where(TotpSecret.user_id == user.id))
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    recovery_codes.forget_codes(user.id)
    db.session.commit()


def pending_user(user_id: int, alt_id: str) -> User | None:
    """The active user a half-finished sign-in names, unless their password changed since."""
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.alt_id != alt_id:
        return None
    return user
