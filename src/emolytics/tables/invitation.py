"""Invitations to join a team: a link with a random single-use code, kept as its hash only."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.team import Role, RoleType
from emolytics.tables.user import UTCDateTime, utcnow


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(RoleType)  # what the invitee becomes
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the code
    email: Mapped[str | None] = mapped_column(String(254))  # where the link was sent, if anywhere
    # The invitee may create an account through the link, even while registration is closed.
    allow_registration: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def pending(self, now: datetime) -> bool:
        """Neither accepted nor revoked, and not expired."""
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
