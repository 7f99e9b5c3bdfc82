"""A dataset's subscriptions: RSS or Atom feeds whose new entries become its texts."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow


class Subscription(db.Model):
    """A feed a dataset subscribes to, read every few minutes: each entry not seen before
    becomes a text of the dataset. It goes with its dataset."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("dataset_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(200))  # the feed's own, as last read
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last read, good or not
    added: Mapped[int] = mapped_column(default=0)  # texts it has added, in all
    problem: Mapped[str | None] = mapped_column(String(300))  # why the last read failed
    # what the feed's server said of its answer, asked back so that it can answer "unchanged"
    etag: Mapped[str | None] = mapped_column(String(200))
    modified: Mapped[str | None] = mapped_column(String(100))

    @property
    def name(self) -> str:
        """What a page calls it: the feed's title, else its address."""
        return self.title or self.url


class SubscriptionEntry(db.Model):
    """An entry of a subscribed feed already read: it never becomes a text twice."""

    __tablename__ = "subscription_entries"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    # SHA-256 (hex) of the entry's id: its guid, else its link, else its title and date
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
