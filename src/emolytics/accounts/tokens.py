"""API tokens: created with a secret shown once, listed, revoked, and checked per API call.

A token belongs to a user in a team and carries a scope: `read` (GET and HEAD only) or
`write`. It works with the role its user holds in the team *now* (a seat from the cache), and
stops when they are no longer a member, as when it is revoked or their account is disabled.
"""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from emolytics import caching
from emolytics.accounts import teams
from emolytics.accounts.cached import STAMP_INTERVAL, revived, stamped, user_values
from emolytics.accounts.stored import sha256
from emolytics.accounts.teams import Seat
from emolytics.extensions import db
from emolytics.tables import ApiToken, Role, User, utcnow

TOKEN_PREFIX = "emo_"
SCOPES = ("read", "write")
# Built once: this runs whenever the authentication cache misses.
TOKEN_USER = (
    select(
        User,
        ApiToken.id,
        ApiToken.team_id,
        ApiToken.scope,
        ApiToken.expires_at,
        ApiToken.last_used_at,
    )
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        User.active,
    )
)


class TokenRefused(ValueError):
    """A token that cannot be made (a bad scope, a viewer asking to write); for the user."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


@dataclass(frozen=True, slots=True)
class TokenUse:
    """A usable token as the cache keeps it."""

    id: int
    team_id: int
    scope: str
    expires_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class Bearer:
    """Who an API call comes from: the token's user, their seat in its team, its scope."""

    user: User
    seat: Seat
    scope: str


def create_token(
    user: User,
    name: str,
    expires_in_days: int | None = None,
    *,
    team_id: int | None = None,
    scope: str = "write",
) -> NewToken:
    """A token of `user` in `team_id` (default: their personal team); TokenRefused when they
    are not a member, or the scope is unknown or needs a role they lack (`write`: analyst)."""
    seat = teams.personal_seat(user.id) if team_id is None else teams.seat(user.id, team_id)
    if seat is None:
        raise TokenRefused(f"{user.username} is not a member of team {team_id}.")
    if scope not in SCOPES:
        raise TokenRefused(f"Unknown scope {scope!r}: choose read or write.")
    if scope == "write" and not seat.allows(Role.ANALYST):
        raise TokenRefused(
            f"{user.username} is a {seat.role.label} in {seat.team_name}: a {seat.role.label} "
            "may only create read tokens."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        team_id=seat.team_id,
        scope=scope,
        name=name,
        token_hash=sha256(secret),
        prefix=secret[:12],
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def list_tokens(user: User) -> list[ApiToken]:
    """Every token of `user`, in every team."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def _managed_by(seat: Seat) -> Any:
    """The tokens the holder of `seat` manages: an admin, every token of the team; anyone
    else, their own tokens in it."""
    in_team = ApiToken.team_id == seat.team_id
    return in_team if seat.allows(Role.ADMIN) else in_team & (ApiToken.user_id == seat.user_id)


def team_tokens(seat: Seat) -> list[ApiToken]:
    """The team's tokens the holder of `seat` sees (see `_managed_by`), newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(_managed_by(seat))
            .options(joinedload(ApiToken.user))  # the page names each token's user
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_team_token(seat: Seat, token_id: int) -> bool:
    """Revoke a token of the team that the holder of `seat` manages; False when there is no
    such token (or it is already revoked)."""
    return _revoke(ApiToken.id == token_id, _managed_by(seat))


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of `user`'s tokens; False when it is not theirs or already revoked."""
    return _revoke(ApiToken.id == token_id, ApiToken.user_id == user.id)


def _revoke(*conditions: Any) -> bool:
    token_hash = db.session.execute(
        update(ApiToken)
        .where(*conditions, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(ApiToken.token_hash)
    ).scalar()
    if token_hash is not None:
        caching.changed_after_commit(db.session, [token_hash])
    db.session.commit()
    return token_hash is not None


def bearer(secret: str) -> Bearer | None:
    """The active user of a usable token with their seat in its team, stamping its last use;
    None otherwise (also when the user is no longer a member of the token's team)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token_hash = sha256(secret)
    cache_key = ("token", token_hash)

    def find() -> tuple[dict[str, Any], TokenUse] | None:
        row = db.session.execute(TOKEN_USER, {"token_hash": token_hash}).first()
        if row is None:
            return None
        user, *token = row
        return user_values(user), TokenUse(*token)

    found = caching.cache().lookup(cache_key, token_hash, find)
    if found is None:
        return None
    values, token = found
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    seat = teams.seat(values["id"], token.team_id)  # the role now, from the cache
    if seat is None:
        return None
    stale = token.last_used_at is None or now - token.last_used_at > STAMP_INTERVAL
    if stale and stamped(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)):
        caching.cache().revise(cache_key, (values, replace(token, last_used_at=now)))
    return Bearer(revived(values), seat, token.scope)
