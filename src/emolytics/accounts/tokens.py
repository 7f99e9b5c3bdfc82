"""API tokens: created with a secret shown once, listed, revoked, and checked per API call."""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from emolytics import caching
from emolytics.accounts.cached import STAMP_INTERVAL, revived, stamped, user_values
from emolytics.accounts.stored import sha256
from emolytics.extensions import db
from emolytics.tables import ApiToken, User, utcnow

TOKEN_PREFIX = "emo_"
# Built once: this runs whenever the authentication cache misses.
TOKEN_USER = (
    select(User, ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        User.active,
    )
)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


@dataclass(frozen=True, slots=True)
class TokenUse:
    """A usable token as the cache keeps it."""

    id: int
    expires_at: datetime | None
    last_used_at: datetime | None


def create_token(user: User, name: str, expires_in_days: int | None = None) -> NewToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=sha256(secret),
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
    token_hash = sha256(secret)
    cache_key = ("token", token_hash)

    def find() -> tuple[dict[str, Any], TokenUse] | None:
        row = db.session.execute(TOKEN_USER, {"token_hash": token_hash}).first()
        if row is None:
            return None
        user, token_id, expires_at, last_used_at = row
        return user_values(user), TokenUse(token_id, expires_at, last_used_at)

    found = caching.cache().lookup(cache_key, token_hash, find)
    if found is None:
        return None
    values, token = found
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    stale = token.last_used_at is None or now - token.last_used_at > STAMP_INTERVAL
    if stale and stamped(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)):
        caching.cache().revise(cache_key, (values, replace(token, last_used_at=now)))
    return revived(values)
