"""Judging alert rules: each complete window once, from the counts; an `Alert` for each unusual
one, with its deliveries (pending: `notifications` sends them) in the same transaction.

Which windows: windows of the rule's length aligned on the Unix epoch (an hourly rule's on
the hour, a daily rule's at 00:00 UTC). A live feed (dataset source 'api') is judged by the
clock: its latest window is the last one complete now, and an hour without texts is a quiet
hour (a feed that stops is a drop). Any other dataset (an upload, the sample) has no clock of
its own: its latest window is the last one complete at its newest text's hour (capped by
now), so rows added later are judged and a dataset that stops growing is not seen to fall to
nothing.

A new rule starts with the latest window; after that, every window since the last judged one
(`checked_through`) is judged in order, at most a day of them after a downtime. Each rule is
judged in its own transaction, its row locked (PostgreSQL: a process finding it locked leaves
it to the holder); an alert is inserted "on conflict do nothing" on (rule, window), so two
processes judging the same window at once store one alert and one set of deliveries. An alert
keeps the words that rose in its window (`alert_words`), read as it is stored.

Rules are judged when the live feed brings texts (after its commit) and every minute by the
scheduler ("alerts.check"); `emolytics alerts check` judges now.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from emolytics import alerts, caching
from emolytics.extensions import db
from emolytics.pipeline import alert_pages, alert_rules, alert_words, rule_inputs
from emolytics.pipeline.alert_series import HISTORY, HOUR, Reader, Series, align, newest_hour
from emolytics.tables import (
    Alert,
    AlertDelivery,
    AlertRule,
    Dataset,
    DeliveryStatus,
    Membership,
    User,
    utcnow,
)

log = logging.getLogger(__name__)
CATCH_UP = timedelta(days=1)  # the most windows judged at once after a downtime
MAX_WINDOW = timedelta(minutes=rule_inputs.MAX_WINDOW_MINUTES)
BATCH = 200  # rules judged in one transaction


@dataclass(frozen=True)
class Judged:
    """One window of one rule, as judged: the verdict, and the alert it stored (None: quiet,
    cooling down, or stored by another process first)."""

    rule_id: int
    dataset_id: int
    verdict: alerts.Verdict
    alert_id: int | None
    cooling_down: bool


def check(
    dataset_id: int | None = None,
    now: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Judged]:
    """Judge every due window of every enabled rule (of one dataset, when given), in batches
    of rules each judged in one transaction."""
    now = now or utcnow()
    due = _due_rules(dataset_id, now)
    judged: list[Judged] = []
    for first in range(0, len(due), BATCH):
        judged.extend(_check_batch(due[first : first + BATCH], now))
        if on_progress is not None:
            on_progress(min(first + BATCH, len(due)), len(due))
    return judged


def after_push(dataset_id: int) -> None:
    """The live feed's texts are committed: judge the dataset's due windows. A failure here is
    logged, never the push's (its texts are stored and analysed already)."""
    try:
        check(dataset_id)
    except Exception:  # the push has succeeded; the schedule judges again within a minute
        db.session.rollback()
        log.exception("alert rules of dataset %s could not be judged", dataset_id)


def scheduled() -> str:
    """The periodic task: judge every due window; a line for the scheduler's record."""
    judged = check()
    raised = sum(1 for item in judged if item.alert_id is not None)
    return f"{len(judged)} windows judged, {raised} alerts"


def _due_rules(dataset_id: int | None, now: datetime) -> list[int]:
    """The ids of the enabled rules with a window to judge (read without locks: a rule with
    nothing due costs no lock and no write)."""
    statement = (
        select(AlertRule, Dataset)
        .join(Dataset, Dataset.id == AlertRule.dataset_id)
        .where(AlertRule.enabled, Dataset.current_job_id.is_not(None))
        .order_by(AlertRule.id)
    )
    if dataset_id is not None:
        statement = statement.where(AlertRule.dataset_id == dataset_id)
    newest: dict[int, datetime | None] = {}
    due = [
        rule.id
        for rule, dataset in db.session.execute(statement)
        if _due_ends(rule, dataset, now, newest)
    ]
    db.session.commit()
    return due


def _check_batch(rule_ids: list[int], now: datetime) -> list[Judged]:
    """Judge the due windows of `rule_ids` (those no other process holds) and commit once."""
    found = db.session.execute(
        select(AlertRule, Dataset)
        .join(Dataset, Dataset.id == AlertRule.dataset_id)
        .where(AlertRule.id.in_(rule_ids))
        .order_by(AlertRule.id)
        .with_for_update(of=AlertRule, skip_locked=True)
    ).all()
    newest: dict[int, datetime | None] = {}
    planned = [(rule, dataset, _due_ends(rule, dataset, now, newest)) for rule, dataset in found]
    planned = [(rule, dataset, ends) for rule, dataset, ends in planned if ends]
    reader = Reader()
    for rule, dataset, ends in planned:
        length = HOUR * (rule.window_minutes // 60)
        reader.plan(dataset.current_job_id, rule, ends[0] - HISTORY - length, ends[-1])
    earlier = _earlier_alerts(
        [rule.id for rule, _, _ in planned], now - HISTORY - CATCH_UP - MAX_WINDOW
    )
    judged = []
    for rule, dataset, ends in planned:
        series = reader.series(dataset.current_job_id, rule)
        judged.extend(_judge(rule, dataset, series, ends, earlier.get(rule.id, [])))
    db.session.commit()
    return judged


def _judge(
    rule: AlertRule,
    dataset: Dataset,
    series: Series,
    ends: list[datetime],
    earlier: list[alerts.Window],
) -> list[Judged]:
    """Judge the rule's windows ending at `ends`, storing an alert for each unusual one out of
    its cool-down; `earlier`: the windows it alerted on before, oldest first."""
    detector = alert_rules.detector_rule(rule)
    last = earlier[-1] if earlier else None
    alerted = [window.start for window in earlier]
    judged = []
    for end in ends:
        hours = series.hours(rule, end)
        if hours is None:  # the window began before the dataset's first text
            continue
        verdict = alerts.evaluate(detector, hours, alerted=alerted)
        quiet_for = alerts.cooling_down(verdict.window, last, alert_rules.cool_down(rule))
        alert_id = None
        if verdict.alert and not quiet_for:
            alert_id = _store(rule, dataset, verdict)
            last = verdict.window
            alerted.append(verdict.window.start)
        cooled = verdict.alert and quiet_for
        judged.append(Judged(rule.id, rule.dataset_id, verdict, alert_id, cooled))
    rule.checked_through = ends[-1]
    return judged


def _due_ends(
    rule: AlertRule, dataset: Dataset, now: datetime, newest: dict[int, datetime | None]
) -> list[datetime]:
    """The ends of the windows to judge now, oldest first. `newest`: the newest text's hour
    of each analysis asked so far (one query per dataset that is not a live feed)."""
    length = HOUR * (rule.window_minutes // 60)
    latest = align(now, HOUR)
    if not dataset.live_feed:
        job_id = dataset.current_job_id
        if job_id not in newest:
            newest[job_id] = newest_hour(job_id)
        if newest[job_id] is None:
            return []
        latest = min(latest, newest[job_id] + HOUR)
    latest = align(latest, length)
    if rule.checked_through is not None and rule.checked_through >= latest:
        return []
    first = latest
    if rule.checked_through is not None:
        first = max(rule.checked_through + length, latest - max(CATCH_UP, length) + length)
    return [first + length * step for step in range((latest - first) // length + 1)]


def _earlier_alerts(rule_ids: list[int], since: datetime) -> dict[int, list[alerts.Window]]:
    """Per rule, the windows it alerted on since `since`, oldest first (the baseline leaves
    them out; the latest starts the cool-down)."""
    earlier: dict[int, list[alerts.Window]] = defaultdict(list)
    if rule_ids:
        rows = db.session.execute(
            select(Alert.rule_id, Alert.window_start, Alert.window_end)
            .where(Alert.rule_id.in_(rule_ids), Alert.window_start >= since)
            .order_by(Alert.rule_id, Alert.window_start)
        )
        for rule_id, start, end in rows:
            earlier[rule_id].append(alerts.Window(start, end))
    return earlier


def _store(rule: AlertRule, dataset: Dataset, verdict: alerts.Verdict) -> int | None:
    """Insert the alert, with the words that rose in its window, and its pending deliveries;
    None when another process stored it."""
    values = {
        "rule_id": rule.id,
        "team_id": rule.team_id,
        "dataset_id": rule.dataset_id,
        "window_start": verdict.window.start,
        "window_end": verdict.window.end,
        "texts": verdict.texts,
        "observed": verdict.observed,
        "expected": verdict.expected,
        "ratio": verdict.ratio,
        "p_value": verdict.p_value,
        "direction": str(verdict.direction),
        "baseline": verdict.baseline,
        "rising_words": alert_words.rising_words(rule, dataset, verdict.window),
        "created_at": utcnow(),
    }
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Alert)
        .values(values)
        .on_conflict_do_nothing(index_elements=["rule_id", "window_start"])
        .returning(Alert.id)
    )
    alert_id = db.session.scalar(statement)
    if alert_id is None:
        return None
    caching.changed_after_commit(db.session, [alert_pages.guard(rule.team_id)])
    now = utcnow()
    targets = [("email", address) for address in _email_addresses(rule.team_id)]
    if rule.webhook_url:
        targets.insert(0, ("webhook", rule.webhook_url))
    for channel, target in targets:
        db.session.add(
            AlertDelivery(
                alert_id=alert_id,
                channel=channel,
                target=target,
                status=DeliveryStatus.PENDING,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    return alert_id


def _email_addresses(team_id: int) -> list[str]:
    """The confirmed addresses of the team's members who asked for alert emails."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.team_id == team_id,
                Membership.alert_email,
                User.email.is_not(None),
                User.email_confirmed_at.is_not(None),
                User.active,
            )
            .order_by(User.id)
        )
    )
