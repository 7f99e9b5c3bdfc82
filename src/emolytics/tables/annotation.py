"""A team's annotations of a dataset: a dated note on its timeline ("New timetable")."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow


class Annotation(db.Model):
    """Something that happened at `at` (UTC), as a member of the team noted it: drawn on the
    dataset's timeline, and the point to compare the days before and after."""

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
