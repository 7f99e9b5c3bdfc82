"""Users as the authentication cache keeps them, for `sessions` and `tokens`.

A cache hit answers with the user's column values and no query; `revived` makes them a user
of the request's database session. Last-seen and last-used stamps are written at most every
STAMP_INTERVAL, so reads stay read-only.
"""

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import Executable, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from emolytics import caching, extensions
from emolytics.extensions import db
from emolytics.tables import ApiToken, User

log = logging.getLogger(__name__)
# Last-seen and last-used stamps are written at most this often, to keep reads read-only.
STAMP_INTERVAL = timedelta(minutes=1)
STAMP_WAIT_MS = 200  # SQLite: the longest a last-seen stamp waits for another writer
USER_COLUMNS = tuple(attribute.key for attribute in User.__mapper__.column_attrs)


def user_values(user: User) -> dict[str, Any]:
    return {key: getattr(user, key) for key in USER_COLUMNS}


def revived(values: dict[str, Any]) -> User:
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


def stamped(*statements: Executable) -> bool:
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


def revoke_everything_of(user: User) -> None:
    """Once the transaction commits, no process trusts a cached session or token of `user`."""
    token_hashes = db.session.scalars(
        select(ApiToken.token_hash).where(ApiToken.user_id == user.id)
    )
    caching.changed_after_commit(db.session, [user.alt_id, *token_hashes])
