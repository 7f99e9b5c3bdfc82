"""The audit log (one row per event, append-only) and the periodic tasks' runs."""

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow

OUTCOMES = ("ok", "failed", "refused")


class AuditEvent(db.Model):
    """Who did what, where, from which address, and how it went.

    No foreign keys: a row outlives the user and the team it names (their names are kept as
    text). The app adds rows and never changes them; only the retention prune deletes them.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_team_id_at", "team_id", "at"),
        Index("ix_audit_events_actor_id_at", "actor_id", "at"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None]  # the user (None: the system, or an unknown username)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    team_id: Mapped[int | None]  # None: an event of an account, not of a team
    action: Mapped[str] = mapped_column(String(60))  # dotted: "auth.sign_in", "dataset.deleted"
    target: Mapped[str] = mapped_column(String(300), default="")  # 'dataset 12 "reviews"'
    ip: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10), default="ok")  # one of OUTCOMES


class PeriodicRun(db.Model):
    """A periodic task's claim on one period: the unique (task, period_start) makes it run once
    per period however many processes schedule it."""

    __tablename__ = "periodic_runs"
    __table_args__ = (UniqueConstraint("task", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(300))  # what it did, or its error
