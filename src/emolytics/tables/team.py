"""Teams: the workspaces that own datasets, models, jobs and API tokens, and their members."""

from datetime import datetime
from enum import IntEnum

from sqlalchemy import ForeignKey, SmallInteger, String, false
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow


class Role(IntEnum):
    """What a member may do, from least to most; each role may do all the roles below it do."""

    VIEWER = 1  # dashboards, texts, exports
    ANALYST = 2  # also upload, push, analyse, train, edit keywords
    ADMIN = 3  # also members, invitations, the team's tokens, team settings
    OWNER = 4  # also delete the team, transfer ownership

    @property
    def label(self) -> str:
        """The role's name as pages and the API spell it: "viewer", "analyst", ..."""
        return self.name.lower()

    @classmethod
    def named(cls, name: str) -> "Role":
        """The role called `name` (any case); ValueError for any other name."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            names = ", ".join(role.label for role in cls)
            raise ValueError(f"Unknown role {name!r}: choose one of {names}.") from None


class RoleType(TypeDecorator[Role]):
    """A role stored as its number, so that "admin or above" is a comparison in SQL too."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value: Role | int | None, dialect: object) -> int | None:
        return None if value is None else int(Role(value))

    def process_result_value(self, value: int | None, dialect: object) -> Role | None:
        return None if value is None else Role(value)


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # The user whose personal team this is (every user has one; it goes with their account).
    personal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    # Set by an owner: members must pass a second factor to work in this team.
    require_second_factor: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Membership(db.Model):
    __tablename__ = "memberships"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[Role] = mapped_column(RoleType, default=Role.VIEWER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the newest alert of the team the member has seen (the navigation counts those after it)
    alerts_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alert_email: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )  # email me the team's alerts
