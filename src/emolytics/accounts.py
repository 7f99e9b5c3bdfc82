"""Accounts: registration, sign-in, server-side sessions, password changes and API tokens.

Plain functions over the models; views, the API and the CLI call these and turn the
exceptions into messages and status codes.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Executable, bindparam, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import make_transient_to_detached, selectinload
from sqlalchemy.orm.util import identity_key

from emolytics import caching, extensions, passwords, session_addresses
from emolytics.extensions import db
from emolytics.models import (
    ApiToken,
    Dataset,
    LoginEvent,
    SessionAddress,
    User,
    UserSession,
    utcnow,
)
from emolytics.pipeline import purge

log = logging.getLogger(__name__)
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{3,40}")
USERNAME_RULE = "3-40 characters: letters, digits, '.', '_' or '-'."
TOKEN_PREFIX = "emo_"
# The growing per-account delay: after this many failures in a row, each further failure
# doubles the wait before the next attempt is checked, up to MAX_DELAY.
FREE_FAILURES = 3
MAX_DELAY = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=1)
# How long a sign-in lasts without being used.
IDLE_TIMEOUT = timedelta(days=1)
REMEMBER_TIMEOUT = timedelta(days=30)
# Last-seen and last-used stamps are written at most this often, to keep reads read-only.
STAMP_INTERVAL = timedelta(minutes=1)


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""


class UsernameError(AccountError):
    pass


class PasswordPolicyError(AccountError):
    pass


class WrongPassword(AccountError):
    """The password typed again to confirm an action is not the user's."""


class LoginFailed(AccountError):
    def __init__(self) -> None:
        super().__init__("Invalid username or password.")


class ForeignBrowser(AccountError):
    """A session was presented by another browser than the one it was signed in with."""


class LoginThrottled(AccountError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed sign-ins for this account. Try again in {retry_after} seconds."
        )
        self.retry_after = retry_after


def _printable(text: str | None, limit: int) -> str | None:
    """`text` cut to `limit` characters with control characters replaced, for audit columns."""
    if not text:
        return None
    return "".join(char if char.isprintable() else "\ufffd" for char in text[:limit])


def _stored_as(raw: str | None, stored: str | None, limit: int) -> bool:
    """Whether `_printable(raw, limit)` is `stored`, without building it in the usual case."""
    return (raw is not None and raw[:limit] == stored) or _printable(raw, limit) == stored


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_username(username: str) -> str:
    """The username as stored, or UsernameError."""
    if not USERNAME_PATTERN.fullmatch(username):
        raise UsernameError(f"Usernames are {USERNAME_RULE}")
    return username


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def register(
    username: str, password: str, *, ip: str | None = None, user_agent: str | None = None
) -> User:
    """Create an active user; raises UsernameError or PasswordPolicyError.

    From the web (`ip` given) registering also signs in, and is recorded as such.
    """
    check_username(username)
    problem = passwords.policy_problem(password, username)
    if problem:
        raise PasswordPolicyError(problem)
    if find_user(username) is not None:
        raise UsernameError("That username is taken.")
    user = User(username=username, password_hash=passwords.hash_password(password))
    db.session.add(user)
    db.session.commit()
    if ip is not None:
        _record_attempt(username, user, ip, user_agent, success=True)  # committed at sign-in
    return user


# --- signing in --------------------------------------------------------------------------


def authenticate(username: str, password: str, *, ip: str | None, user_agent: str | None) -> User:
    """The active user these credentials name, recording the attempt.

    An unknown username costs the same hash check as a wrong password and gets the same
    LoginFailed; repeated failures for one username raise LoginThrottled until their delay
    has passed. Refusals are committed at once; a success is left in the transaction for the
    caller to commit with what follows (`start_session` does), so a sign-in is one commit.
    """
    username_key = _printable(username.lower(), 80) or ""
    user = find_user(username) if USERNAME_PATTERN.fullmatch(username) else None
    wait = _remaining_delay(username_key)
    if wait:
        _record_attempt(username, user, ip, user_agent, success=False, throttled=True)
        db.session.commit()
        raise LoginThrottled(wait)
    if user is None:
        passwords.verify(passwords.dummy_hash(), password)
        matches = False
    else:
        matches = user.check_password(password) and user.is_active
    _record_attempt(username, user, ip, user_agent, success=matches)
    if not matches or user is None:
        db.session.commit()
        raise LoginFailed()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return user


def confirm_password(user: User, password: str, *, ip: str | None, user_agent: str | None) -> None:
    """The signed-in user types the password again (a fresh sign-in for sensitive actions)."""
    authenticate(user.username, password, ip=ip, user_agent=user_agent)
    db.session.commit()


def _remaining_delay(username_key: str) -> int:
    """Seconds to wait before the next attempt for this username is checked (0: none)."""
    now = utcnow()
    recent = db.session.execute(
        select(LoginEvent.success, LoginEvent.at)
        .where(
            LoginEvent.username_key == username_key,
            LoginEvent.throttled.is_(False),
            LoginEvent.at > now - FAILURE_WINDOW,
        )
        .order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
        .limit(FREE_FAILURES + 16)
    ).all()
    failures = 0
    for success, _ in recent:
        if success:
            break
        failures += 1
    if failures < FREE_FAILURES:
        return 0
    delay = min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_DELAY)
    remaining = recent[0].at + delay - now
    return max(0, int(remaining.total_seconds() + 0.999))


def _record_attempt(
    username: str,
    user: User | None,
    ip: str | None,
    user_agent: str | None,
    *,
    success: bool,
    throttled: bool = False,
) -> None:
    db.session.add(
        LoginEvent(
            user_id=user.id if user else None,
            username=_printable(username, 80) or "",
            username_key=_printable(username.lower(), 80) or "",
            ip=_printable(ip, 64),
            user_agent=_printable(user_agent, 300),
            success=success,
            throttled=throttled,
        )
    )


def recent_sign_ins(user: User, limit: int = 50) -> list[LoginEvent]:
    return list(
        db.session.scalars(
            select(LoginEvent)
            .where(LoginEvent.user_id == user.id)
            .order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
            .limit(limit)
        )
    )


# --- server-side sessions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveSession:
    """The session a request came with (its raw key lives only in the user's cookies)."""

    id: int
    key: str
    remember: bool
    last_seen_at: datetime
    ip: str | None  # of the latest request
    user_agent: str | None  # the browser it was signed in with


def start_session(
    user: User, *, remember: bool, ip: str | None, user_agent: str | None
) -> LiveSession:
    """Record a new sign-in and make it `user.current_session`."""
    key = secrets.token_urlsafe(32)
    ip = _printable(ip, 64)
    record = UserSession(
        user_id=user.id,
        key_hash=_sha256(key),
        remember=remember,
        ip=ip,
        user_agent=_printable(user_agent, 300),
        addresses=[SessionAddress(ip=ip)] if ip else [],
    )
    db.session.add(record)
    _forget_expired_sessions(user)
    db.session.commit()
    user.current_session = LiveSession(
        record.id, key, remember, record.last_seen_at, record.ip, record.user_agent
    )
    return user.current_session


def _expired(record: UserSession | LiveSession, now: datetime) -> bool:
    timeout = REMEMBER_TIMEOUT if record.remember else IDLE_TIMEOUT
    return record.last_seen_at + timeout < now


def _forget_expired_sessions(user: User) -> None:
    now = utcnow()
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            (UserSession.remember.is_(False) & (UserSession.last_seen_at < now - IDLE_TIMEOUT))
            | (UserSession.last_seen_at < now - REMEMBER_TIMEOUT),
        )
    )


# Built once: these run whenever the authentication cache misses.
SESSION_USER = (
    select(
        User,
        UserSession.id,
        UserSession.remember,
        UserSession.last_seen_at,
        UserSession.ip,
        UserSession.user_agent,
    )
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        User.alt_id == bindparam("alt_id"),
        UserSession.key_hash == bindparam("key_hash"),
        User.active,
    )
)
TOKEN_USER = (
    select(User, ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        User.active,
    )
)
USER_COLUMNS = tuple(attribute.key for attribute in User.__mapper__.column_attrs)


@dataclass(frozen=True, slots=True)
class TokenUse:
    """A usable token as the cache keeps it."""

    id: int
    expires_at: datetime | None
    last_used_at: datetime | None


def _user_values(user: User) -> dict[str, Any]:
    return {key: getattr(user, key) for key in USER_COLUMNS}


def _revived(values: dict[str, Any]) -> User:
    """The user these column values describe, part of this request's database session as if
    just loaded (no query): changes to it are saved as usual."""
    known = db.session.identity_map.get(identity_key(User, values["id"]))
    if known is not None:
        return known
    user = User.__mapper__.class_manager.new_instance()
    user.__dict__.update(values)
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def load_session_user(session_id: str, *, ip: str | None, user_agent: str | None) -> User | None:
    """The active user of the live session that a Flask-Login id names (one query for both,
    when the authentication cache cannot answer), used from `ip` by the browser `user_agent`.

    A session is bound to the browser it was signed in with, not to its address: a new address
    is recorded (`session_addresses`), another User-Agent ends the session and raises
    ForeignBrowser. A copied cookie is the likely cause, so the session cannot be tried again
    with the right User-Agent (an updated browser signs in again, as it would anyway).
    """
    alt_id, _, key = session_id.partition(".")
    if not alt_id or not key:
        return None
    key_hash = _sha256(key)
    cache_key = ("session", alt_id, key_hash)

    def find() -> tuple[dict[str, Any], LiveSession] | None:
        row = db.session.execute(SESSION_USER, {"alt_id": alt_id, "key_hash": key_hash}).first()
        if row is None:
            return None
        user, record_id, *use = row
        return _user_values(user), LiveSession(record_id, key, *use)

    found = caching.cache().lookup(cache_key, alt_id, find)
    if found is None:
        return None
    values, record = found
    now = utcnow()
    if _expired(record, now):
        return None
    if not _stored_as(user_agent, record.user_agent, 300):
        end_session(_revived(values), record.id)
        raise ForeignBrowser()
    moved = not _stored_as(ip, record.ip, 64)
    if moved or now - record.last_seen_at > STAMP_INTERVAL:
        ip = _printable(ip, 64)
        if _stamped(*session_addresses.use(record.id, ip, now, moved=moved)):
            record = replace(record, last_seen_at=now, ip=ip)
            caching.cache().revise(cache_key, (values, record))
    user = _revived(values)
    user.current_session = record
    return user


STAMP_WAIT_MS = 200  # SQLite: the longest a last-seen stamp waits for another writer


def _stamped(*statements: Executable) -> bool:
    """Write a last-seen or last-used stamp, committed; False when the database is busy.

    Stamps are bookkeeping inside a read: they must never hold a page up or fail it. On
    SQLite a long write elsewhere (a large import, an analysis finishing) holds the only
    write lock, so the stamp waits a moment at most and is skipped; a later request stamps.
    A session's new address for a session ended meanwhile (signed out in another tab) breaks
    its foreign key and is skipped too.
    """
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        if sqlite:
            db.session.execute(text(f"PRAGMA busy_timeout={STAMP_WAIT_MS}"))
        for statement in statements:
            db.session.execute(statement)
        db.session.commit()
    except (OperationalError, IntegrityError) as error:
        db.session.rollback()
        log.info("stamp skipped: %s", type(error).__name__)
        return False
    finally:
        if sqlite:
            db.session.execute(text(f"PRAGMA busy_timeout={extensions.SQLITE_BUSY_TIMEOUT_MS}"))
    return True


def live_sessions(user: User) -> list[UserSession]:
    now = utcnow()
    records = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc())
        .options(selectinload(UserSession.addresses))
    )
    return [record for record in records if not _expired(record, now)]


def end_session(user: User, session_record_id: int) -> bool:
    """End one of `user`'s sessions; False when it is not theirs or already gone."""
    result = db.session.execute(
        delete(UserSession).where(
            UserSession.id == session_record_id, UserSession.user_id == user.id
        )
    )
    caching.changed_after_commit(db.session, [user.alt_id])
    db.session.commit()
    return result.rowcount > 0


def end_other_sessions(user: User, keep: LiveSession | None) -> int:
    """End every session of `user` but `keep`; the number ended."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    result = db.session.execute(statement)
    caching.changed_after_commit(db.session, [user.alt_id])
    db.session.commit()
    return result.rowcount


# --- password and account ------------------------------------------------------------------


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; every other session and remember cookie of `user` ends.

    The current session survives with a new id (the caller signs it in again).
    """
    if not user.check_password(current_password):
        raise WrongPassword("Your current password is not correct.")
    problem = passwords.policy_problem(new_password, user.username)
    if problem:
        raise PasswordPolicyError(problem)
    user.password_hash = passwords.hash_password(new_password)
    caching.changed_after_commit(db.session, [user.alt_id])
    user.alt_id = secrets.token_urlsafe(16)
    end_other_sessions(user, keep=user.current_session)


def set_password(user: User, new_password: str) -> None:
    """Administrative reset (CLI): no current password; every session ends."""
    problem = passwords.policy_problem(new_password, user.username)
    if problem:
        raise PasswordPolicyError(problem)
    user.password_hash = passwords.hash_password(new_password)
    caching.changed_after_commit(db.session, [user.alt_id])
    user.alt_id = secrets.token_urlsafe(16)
    end_other_sessions(user, keep=None)


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        _revoke_everything_of(user)
        end_other_sessions(user, keep=None)
    db.session.commit()


def check_password_again(user: User, password: str) -> None:
    """WrongPassword unless `password` is the user's (confirming a destructive action)."""
    if not user.check_password(password):
        raise WrongPassword("The password is not correct.")


def delete_account(user: User) -> None:
    """Remove `user` and everything they own (datasets, texts, results, jobs, models...);
    the caller has confirmed the password (`check_password_again`)."""
    _revoke_everything_of(user)
    purge.lock_for_removal(User, [user.id])  # no new dataset can be theirs from here on
    purge.remove_datasets(
        list(db.session.scalars(select(Dataset.id).where(Dataset.owner_id == user.id)))
    )
    db.session.execute(delete(LoginEvent).where(LoginEvent.user_id == user.id))
    db.session.delete(user)
    db.session.commit()


def _revoke_everything_of(user: User) -> None:
    """Once the transaction commits, no process trusts a cached session or token of `user`."""
    token_hashes = db.session.scalars(
        select(ApiToken.token_hash).where(ApiToken.user_id == user.id)
    )
    caching.changed_after_commit(db.session, [user.alt_id, *token_hashes])


# --- API tokens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def create_token(user: User, name: str, expires_in_days: int | None = None) -> NewToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_sha256(secret),
        prefix=secret[:12],
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def list_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of `user`'s tokens; False when it is not theirs or already revoked."""
    token_hash = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(ApiToken.token_hash)
    ).scalar()
    if token_hash is not None:
        caching.changed_after_commit(db.session, [token_hash])
    db.session.commit()
    return token_hash is not None


def user_for_token(secret: str) -> User | None:
    """The active user of a usable token, stamping its last use; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token_hash = _sha256(secret)
    cache_key = ("token", token_hash)

    def find() -> tuple[dict[str, Any], TokenUse] | None:
        row = db.session.execute(TOKEN_USER, {"token_hash": token_hash}).first()
        if row is None:
            return None
        user, token_id, expires_at, last_used_at = row
        return _user_values(user), TokenUse(token_id, expires_at, last_used_at)

    found = caching.cache().lookup(cache_key, token_hash, find)
    if found is None:
        return None
    values, token = found
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    stale = token.last_used_at is None or now - token.last_used_at > STAMP_INTERVAL
    if stale and _stamped(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)):
        caching.cache().revise(cache_key, (values, replace(token, last_used_at=now)))
    return _revived(values)
