"""The audit log: events recorded with the change they describe, listed newest first for a team
or a user, exported as CSV or JSON Lines, and pruned after the retention period.

Rows are only ever added (and deleted by `prune`): nothing here changes one.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from emolytics.accounts.stored import printable
from emolytics.engine.workbook_stream import Table, workbook
from emolytics.extensions import db
from emolytics.pipeline.exports import neutralise, streamed
from emolytics.tables import AuditEvent, Invitation, utcnow
from emolytics.tables.audit import OUTCOMES

PAGE_SIZE = 50
EXPORT_BATCH = 1000
PRUNE_BATCH = 5000
COLUMNS = ("id", "at", "actor_id", "actor_name", "team_id", "action", "target", "ip", "outcome")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change, as the log names them: a user (with the address they came from) or a
    process (no id: "command line", "retention", "training job")."""

    id: int | None
    name: str
    ip: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One event as its recorder knows it: what happened, by whom, in which team, to what, and
    how it ended ("ok", "failed" or "refused")."""

    action: str
    actor: Actor
    team_id: int | None = None
    target: str | None = None
    outcome: str = "ok"

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {self.outcome!r}")

    def row(self) -> AuditEvent:
        return AuditEvent(
            at=utcnow(),
            action=self.action,
            actor_id=self.actor.id,
            actor_name=printable(self.actor.name, 80) or "",
            team_id=self.team_id,
            target=printable(self.target, 300) or "",
            ip=printable(self.actor.ip, 64),
            outcome=self.outcome,
        )


def record(event: Event) -> AuditEvent:
    """Add `event` to the session's transaction: it commits (or rolls back) with the change it
    describes."""
    row = event.row()
    db.session.add(row)
    return row


def record_apart(event: Event) -> None:
    """Commit `event` at once in a transaction of its own, so that it stays even when the
    caller's transaction rolls back (a refusal whose other writes are undone).

    Call it while the caller's transaction holds no write: on SQLite both would wait for the
    one write lock.
    """
    with Session(db.engine) as apart:
        apart.add(event.row())
        apart.commit()


def named(kind: str, record_id: int, name: str) -> str:
    """An event's target as the log spells it: `dataset 12 "Reviews"`."""
    return f'{kind} {record_id} "{name}"'


def invitation_target(invitation: Invitation) -> str:
    """`invitation 3 as analyst for kim@example.org` (the code is never logged)."""
    to = f" for {invitation.email}" if invitation.email else ""
    return f"invitation {invitation.id} as {invitation.role.label}{to}"


# --- listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """Which events to list: an action or a family of them ("dataset" is every "dataset.*"),
    and days (UTC, both included)."""

    action: str | None = None
    since: date | None = None
    until: date | None = None

    def as_args(self) -> dict[str, str]:
        args = {"action": self.action or ""}
        args["since"] = self.since.isoformat() if self.since else ""
        args["until"] = self.until.isoformat() if self.until else ""
        return {name: value for name, value in args.items() if value}


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


def _filtered(statement: Select, filters: AuditFilters) -> Select:
    if filters.action:
        family = filters.action.rstrip(".")
        statement = statement.where(
            or_(
                AuditEvent.action == family,
                AuditEvent.action.startswith(family + ".", autoescape=True),
            )
        )
    if filters.since:
        statement = statement.where(AuditEvent.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        statement = statement.where(AuditEvent.at < end)
    return statement


def _team(team_id: int) -> Select:
    return select(AuditEvent).where(AuditEvent.team_id == team_id)


def _actor(user_id: int) -> Select:
    return select(AuditEvent).where(AuditEvent.actor_id == user_id)


def team_page(
    team_id: int, filters: AuditFilters = AuditFilters(), page: int = 1, size: int = PAGE_SIZE
) -> EventPage:
    """One page of a team's events, newest first."""
    return _page(_filtered(_team(team_id), filters), page, size)


def user_page(user_id: int, page: int = 1, size: int = PAGE_SIZE) -> EventPage:
    """One page of the events a user did (or that named their account), newest first."""
    return _page(_actor(user_id), page, size)


def _page(statement: Select, page: int, size: int) -> EventPage:
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    events = db.session.scalars(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    )
    return EventPage(list(events), page, pages, total)


# --- exports ---------------------------------------------------------------------------------


def _stream(team_id: int, filters: AuditFilters) -> Iterator[AuditEvent]:
    statement = _filtered(_team(team_id), filters).order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc()
    )
    for (event,) in streamed(statement, EXPORT_BATCH):
        yield event


def as_dict(event: AuditEvent) -> dict[str, str | int | None]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "team_id": event.team_id,
        "action": event.action,
        "target": event.target,
        "ip": event.ip,
        "outcome": event.outcome,
    }


def csv_lines(team_id: int, filters: AuditFilters) -> Iterator[str]:
    """A team's events as CSV, newest first, a header line first; text cells are made inert
    in spreadsheets (a dataset's name could be a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for event in _stream(team_id, filters):
        row = as_dict(event)
        row["actor_name"] = neutralise(event.actor_name)
        row["target"] = neutralise(event.target)
        writer.writerow(["" if row[column] is None else row[column] for column in COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def workbook_chunks(team_id: int, filters: AuditFilters) -> Iterator[bytes]:
    """A team's events as an Excel workbook, newest first: the CSV's columns, `at` an Excel
    time in UTC and the ids numbers."""
    rows = (
        [
            event.id,
            event.at,
            event.actor_id,
            event.actor_name,
            event.team_id,
            event.action,
            event.target,
            event.ip,
            event.outcome,
        ]  # fmt: skip
        for event in _stream(team_id, filters)
    )
    return workbook(Table("Audit log", COLUMNS, rows, widths={6: 50}))


def jsonl_lines(team_id: int, filters: AuditFilters) -> Iterator[str]:
    """A team's events as JSON Lines, one object per event, newest first."""
    for event in _stream(team_id, filters):
        yield json.dumps(as_dict(event), ensure_ascii=False) + "\n"


# --- retention -------------------------------------------------------------------------------


def prune(older_than: datetime, on_progress: Callable[[int], None] | None = None) -> int:
    """Delete the events recorded before `older_than`, a batch per transaction (a long log does
    not hold a lock for long); the number deleted. `on_progress` gets the running total."""
    deleted = 0
    while True:
        batch = (
            select(AuditEvent.id)
            .where(AuditEvent.at < older_than)
            .order_by(AuditEvent.id)
            .limit(PRUNE_BATCH)
        )
        ids = list(db.session.scalars(batch))
        if not ids:
            return deleted
        db.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(ids)))
        db.session.commit()
        deleted += len(ids)
        if on_progress is not None:
            on_progress(deleted)


def prune_expired(retention_days: int) -> int:
    """The retention task: delete events older than `retention_days`, and record that it did."""
    deleted = prune(utcnow() - timedelta(days=retention_days))
    if deleted:
        target = f"{deleted} events older than {retention_days} days"
        record(Event("audit.pruned", Actor(None, "retention"), target=target))
        db.session.commit()
    return deleted
