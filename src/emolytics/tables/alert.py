"""Listening: a team's alert rules on its datasets, the alerts they raised, their deliveries,
and the digests members chose."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not tried yet, or to be tried again at `next_attempt_at`
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed; given up


class AlertRule(db.Model):
    """What to watch on a dataset, and how sensitively (see `emolytics.alerts`)."""

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[str] = mapped_column(String(16))  # alerts.Metric
    emotion: Mapped[str | None] = mapped_column(String(40))  # emotion_share, emotion_count
    keyword: Mapped[str | None] = mapped_column(String(80))  # one of the dataset's keywords
    segment: Mapped[str | None] = mapped_column(String(200))  # one of its analysis's segments
    direction: Mapped[str] = mapped_column(String(8))  # alerts.Direction
    sensitivity: Mapped[str] = mapped_column(String(16))  # unusual | very_unusual | times
    times: Mapped[float | None] = mapped_column(Float)  # "N times the usual" (sensitivity times)
    window_minutes: Mapped[int] = mapped_column(default=60)  # a whole number of hours
    min_texts: Mapped[int] = mapped_column(default=10)
    cooldown_minutes: Mapped[int] = mapped_column(default=360)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[str | None] = mapped_column(String(400))  # sealed (accounts.sealed)
    enabled: Mapped[bool] = mapped_column(default=True)
    # the end of the latest window judged: each window is judged once
    checked_through: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(db.Model):
    """A window a rule found unusual, with the numbers that made it so; one per rule and window."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("rule_id", "window_start"),
        Index("ix_alerts_team_id_created_at", "team_id", "created_at"),
        Index("ix_alerts_dataset_id_created_at", "dataset_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    texts: Mapped[int]  # in the window
    observed: Mapped[float] = mapped_column(Float)
    expected: Mapped[float] = mapped_column(Float)
    ratio: Mapped[float | None] = mapped_column(Float)  # observed / expected (not for valence)
    p_value: Mapped[float] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(8))  # rise | drop: where it went
    baseline: Mapped[str] = mapped_column(String(40))  # how the usual was estimated
    # the words that rose in the window's texts against the days before it (view_terms.rose;
    # None: no texts before, or raised before they were kept)
    rising_words: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertDelivery(db.Model):
    """One notification of an alert (a webhook POST or an email), with its attempts."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (Index("ix_alert_deliveries_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # webhook | email
    target: Mapped[str] = mapped_column(String(2000))  # the URL, or the address
    status: Mapped[DeliveryStatus] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[int | None]  # the receiver's HTTP status (webhooks)
    last_error: Mapped[str | None] = mapped_column(String(300))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestSubscription(db.Model):
    """A member's daily or weekly digest email, of one dataset or of the whole team."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "team_id", "dataset_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))  # daily | weekly
    # the start of the latest period sent: each period is sent once
    sent_through: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
