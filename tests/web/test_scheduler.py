"""Periodic tasks run once per period however many processes schedule them."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.scheduler import Scheduler, Task
from emolytics.tables import PeriodicRun

HOUR = timedelta(hours=1)
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def scheduler_of(app: Flask) -> Scheduler:
    return app.extensions["emolytics_scheduler"]


def race(apps: list[Flask], moments: list[datetime]) -> list[list[str]]:
    """Every app's scheduler runs what is due at each moment, all at once; what each ran."""
    ran: list[list[str]] = [[] for _ in apps]
    for now in moments:
        start = threading.Barrier(len(apps))

        def tick(index: int, app: Flask, now: datetime = now, start=start) -> None:
            with app.app_context():
                start.wait()
                ran[index] += scheduler_of(app).run_due(now)

        threads = [
            threading.Thread(target=tick, args=(index, app)) for index, app in enumerate(apps)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return ran


def test_racing_schedulers_run_a_task_once_per_period(app, app_factory):
    apps = [app] + [app_factory() for _ in range(3)]  # four processes on one database
    runs: list[datetime] = []
    lock = threading.Lock()

    def count(now_of: list[datetime]) -> None:
        with lock:
            runs.append(now_of[0])
        time.sleep(0.05)  # long enough for the others to try the same period meanwhile

    moment: list[datetime] = [NOON]
    for each in apps:
        scheduler_of(each).add("tests.count", HOUR, lambda: count(moment))

    moments = [NOON, NOON + timedelta(minutes=30), NOON + HOUR, NOON + 2 * HOUR + timedelta(1)]
    ran = race(apps, moments)

    assert len(runs) == 3  # noon's hour, 13:00's hour, the next day's 14:00 hour
    assert sum(names.count("tests.count") for names in ran) == 3
    assert sum(names.count("audit.prune") for names in ran) == 2  # once a day, too
    with app.app_context():
        claims = db.session.execute(
            select(PeriodicRun.period_start, PeriodicRun.outcome, PeriodicRun.finished_at)
            .where(PeriodicRun.task == "tests.count")
            .order_by(PeriodicRun.period_start)
        ).all()
    assert [claim.period_start for claim in claims] == [
        NOON,
        NOON + HOUR,
        NOON + 2 * HOUR + timedelta(1),
    ]
    assert all(claim.outcome == "ok" and claim.finished_at for claim in claims)


def test_a_failing_task_is_recorded_and_runs_again_next_period(app):
    scheduler = scheduler_of(app)
    calls = []

    def broken() -> None:
        calls.append(1)
        raise RuntimeError("disk full")

    scheduler.add("tests.broken", HOUR, broken)
    with app.app_context():
        assert "tests.broken" in scheduler.run_due(NOON)
        assert "tests.broken" not in scheduler.run_due(NOON + timedelta(minutes=59))
        assert "tests.broken" in scheduler.run_due(NOON + HOUR)
        outcomes = db.session.scalars(
            select(PeriodicRun.outcome).where(PeriodicRun.task == "tests.broken")
        ).all()
    assert outcomes == ["failed: disk full", "failed: disk full"]
    assert len(calls) == 2


def test_periods_align_on_the_epoch():
    day = Task("daily", timedelta(days=1), lambda: None)
    assert day.period_start(NOON + timedelta(hours=5)) == datetime(2026, 12, 3, tzinfo=UTC)
    minute = Task("minutely", timedelta(minutes=1), lambda: None)
    assert minute.period_start(NOON + timedelta(seconds=61)) == NOON + timedelta(minutes=1)


def test_the_app_prunes_the_audit_log_daily_unless_told_to_keep_it(app_factory):
    task = scheduler_of(app_factory()).tasks["audit.prune"]
    assert task.period == timedelta(days=1)
    assert "audit.prune" not in scheduler_of(app_factory(AUDIT_RETENTION_DAYS=0)).tasks


def test_registering_refuses_duplicates_and_periods_shorter_than_the_tick(app):
    scheduler = scheduler_of(app)
    scheduler.add("tests.once", HOUR, lambda: None)
    with pytest.raises(ValueError, match="already registered"):
        scheduler.add("tests.once", HOUR, lambda: None)
    with pytest.raises(ValueError, match="shorter than the tick"):
        scheduler.add("tests.fast", timedelta(seconds=1), lambda: None)


def test_the_thread_runs_due_tasks(app_factory):
    app = app_factory(SCHEDULER_TICK_SECONDS=0.05)
    scheduler = scheduler_of(app)
    ran = threading.Event()
    scheduler.add("tests.thread", timedelta(seconds=0.1), ran.set)
    scheduler.start_thread()
    try:
        assert ran.wait(10)
    finally:
        scheduler.stop.set()
        scheduler.thread.join(5)
    assert not scheduler.thread.is_alive()


def test_a_claim_deletes_its_tasks_claims_older_than_a_week(app):
    scheduler = scheduler_of(app)
    scheduler.add("tests.daily", timedelta(days=1), lambda: None)
    with app.app_context():
        for day in range(10):
            scheduler.run_due(NOON + timedelta(days=day))
        starts = db.session.scalars(
            select(PeriodicRun.period_start).where(PeriodicRun.task == "tests.daily")
        ).all()
    first_kept = datetime(2026, 12, 12, tzinfo=UTC) - timedelta(days=7)
    assert sorted(starts) == [first_kept + timedelta(days=day) for day in range(8)]
