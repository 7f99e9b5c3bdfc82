"""Answers kept for retried requests (the `Idempotency-Key` header)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow


class IdempotencyKey(db.Model):
    """A request that created something, by the key its sender gave it.

    The row is written in the transaction that stores what the request created, so it exists
    exactly when that does; the answer follows once it is built (None until then).
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_keys_created_at", "created_at"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of what the request said
    status: Mapped[int | None]
    response: Mapped[str | None] = mapped_column(Text)  # the JSON body of the answer
    location: Mapped[str | None] = mapped_column(String(255))  # its Location header, if any
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
