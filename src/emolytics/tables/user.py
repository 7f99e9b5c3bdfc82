"""Accounts: users, their server-side sessions, API tokens and sign-in attempts."""

import secrets
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime, TypeDecorator

from emolytics import passwords
from emolytics.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_alt_id() -> str:
    return secrets.token_urlsafe(16)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use emolytics.tables.utcnow()")
        return value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Rotated on every password change: the Flask-Login id is built on it, so a change ends
    # every session and every remember-me cookie issued before it.
    alt_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_alt_id)
    active: Mapped[bool] = mapped_column(default=True)
    admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # where alert emails and digests go, once confirmed by a link sent there
    email: Mapped[str | None] = mapped_column(String(254))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The team the user last chose to work in: a new session starts there (`current_team`).
    # `use_alter`: teams point back at users (a personal team's user), so one side comes later.
    last_team_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "teams.id", ondelete="SET NULL", name="fk_users_last_team_id_teams", use_alter=True
        )
    )

    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: Mapped[list["UserSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The server-side session this instance was loaded through (set by the user_loader and at
    # sign-in); not a column.
    current_session = None  # accounts.sessions.LiveSession: the sign-in this request came with

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id: `<alt_id>.<session key>`.

        Both the session cookie and the remember-me cookie carry it, so either one names a
        single server-side session record: signing out ends that record, and a password change
        rotates `alt_id`, so a replayed copy of any older cookie is refused.
        """
        if self.current_session is None:
            raise RuntimeError("get_id() needs the server-side session of this sign-in")
        return f"{self.alt_id}.{self.current_session.key}"

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored argon2id hash."""
        return passwords.verify(self.password_hash, password)


# Usernames are unique ignoring case.
Index("uq_users_username_lower", func.lower(User.username), unique=True)


class UserSession(db.Model):
    """One sign-in: what the session cookie and the remember cookie point at."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # sha256 of the random key; the key itself lives only in the user's cookies.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    # Signed in with a second factor (a code, a recovery code or a passkey), not a password only.
    second_factor: Mapped[bool] = mapped_column(default=False, server_default=false())
    ip: Mapped[str | None] = mapped_column(String(64))  # of the latest request
    # The browser it was signed in with: a request with another User-Agent ends the session.
    user_agent: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="sessions")
    addresses: Mapped[list["SessionAddress"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionAddress.last_seen_at.desc()",
    )


class SessionAddress(db.Model):
    """An address a session was used from (the newest few per session are kept)."""

    __tablename__ = "session_addresses"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("user_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    ip: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[UserSession] = relationship(back_populates="addresses")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(8), default="write", server_default="write")  # read
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the secret
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class LoginEvent(db.Model):
    """One sign-in attempt, successful or not, for the activity page and for throttling."""

    __tablename__ = "login_events"
    __table_args__ = (Index("ix_login_events_username_key_at", "username_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    username: Mapped[str] = mapped_column(String(80))  # as typed (truncated)
    username_key: Mapped[str] = mapped_column(String(80))  # lower-cased, for throttling
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    success: Mapped[bool]
    # Refused before the password was checked (the growing delay); not counted as a failure.
    throttled: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
