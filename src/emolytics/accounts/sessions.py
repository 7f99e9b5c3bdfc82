"""Server-side sessions: each sign-in is a row, the browser's cookie holds its key.

A session is bound to the browser it was signed in with, not to its address (see
`session_addresses`); it ends when unused for IDLE_TIMEOUT (REMEMBER_TIMEOUT if remembered).
"""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import selectinload

from emolytics import caching, session_addresses
from emolytics.accounts.cached import STAMP_INTERVAL, revived, stamped, user_values
from emolytics.accounts.errors import ForeignBrowser
from emolytics.accounts.stored import printable, sha256, stored_as
from emolytics.extensions import db
from emolytics.tables import SessionAddress, User, UserSession, utcnow

# How long a sign-in lasts without being used.
IDLE_TIMEOUT = timedelta(days=1)
REMEMBER_TIMEOUT = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class LiveSession:
    """The session a request came with (its raw key lives only in the user's cookies)."""

    id: int
    key: str
    remember: bool
    last_seen_at: datetime
    ip: str | None  # of the latest request
    user_agent: str | None  # the browser it was signed in with
    second_factor: bool = False  # the sign-in passed a second factor


def start_session(
    user: User,
    *,
    remember: bool,
    ip: str | None,
    user_agent: str | None,
    second_factor: bool = False,
) -> LiveSession:
    """Record a new sign-in and make it `user.current_session`.

    `second_factor`: the sign-in passed one (a code or a passkey), not a password only.
    """
    key = secrets.token_urlsafe(32)
    ip = printable(ip, 64)
    record = UserSession(
        user_id=user.id,
        key_hash=sha256(key),
        remember=remember,
        second_factor=second_factor,
        ip=ip,
        user_agent=printable(user_agent, 300),
        addresses=[SessionAddress(ip=ip)] if ip else [],
    )
    db.session.add(record)
    _forget_expired_sessions(user)
    db.session.commit()
    user.current_session = LiveSession(
        record.id, key, remember, record.last_seen_at, record.ip, record.user_agent, second_factor
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


# Built once: this runs whenever the authentication cache misses.
SESSION_USER = (
    select(
        User,
        UserSession.id,
        UserSession.remember,
        UserSession.last_seen_at,
        UserSession.ip,
        UserSession.user_agent,
        UserSession.second_factor,
    )
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        User.alt_id == bindparam("alt_id"),
        UserSession.key_hash == bindparam("key_hash"),
        User.active,
    )
)


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
    key_hash = sha256(key)
    cache_key = ("session", alt_id, key_hash)

    def find() -> tuple[dict[str, Any], LiveSession] | None:
        row = db.session.execute(SESSION_USER, {"alt_id": alt_id, "key_hash": key_hash}).first()
        if row is None:
            return None
        user, record_id, *use = row
        return user_values(user), LiveSession(record_id, key, *use)

    found = caching.cache().lookup(cache_key, alt_id, find)
    if found is None:
        return None
    values, record = found
    now = utcnow()
    if _expired(record, now):
        return None
    if not stored_as(user_agent, record.user_agent, 300):
        end_session(revived(values), record.id)
        raise ForeignBrowser()
    moved = not stored_as(ip, record.ip, 64)
    if moved or now - record.last_seen_at > STAMP_INTERVAL:
        ip = printable(ip, 64)
        if stamped(*session_addresses.use(record.id, ip, now, moved=moved)):
            record = replace(record, last_seen_at=now, ip=ip)
            caching.cache().revise(cache_key, (values, record))
    user = revived(values)
    user.current_session = record
    return user


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


def require_second_factor(user: User) -> None:
    """`user` has just turned a second factor on, proving it in the current session: that one
    counts as having passed it, and every other session that did not is ended, so no sign-in
    (nor remember cookie) of a password alone outlives the change. The caller commits."""
    keep = user.current_session
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.second_factor.is_(False),
            UserSession.id != keep.id,
        )
    )
    db.session.execute(
        update(UserSession).where(UserSession.id == keep.id).values(second_factor=True)
    )
    caching.changed_after_commit(db.session, [user.alt_id])
    user.current_session = replace(keep, second_factor=True)


def end_other_sessions(user: User, keep: LiveSession | None) -> int:
    """End every session of `user` but `keep`; the number ended."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    result = db.session.execute(statement)
    caching.changed_after_commit(db.session, [user.alt_id])
    db.session.commit()
    return result.rowcount
