"""Periodic tasks: a registry of (name, period, function), run once per period however many
processes schedule them.

The factory builds each app's `Scheduler` and registers the tasks; nothing runs until a process
starts it: the embedded server starts a daemon thread (`start_thread`), and so does every
`emolytics worker` with RQ. Each tick, a process tries to claim the current period of each task
that is due by inserting a `periodic_runs` row unique on (task, period_start): the one insert
that commits runs the task; the others fail on the unique key and move on. Periods are aligned
on the Unix epoch (a daily task's period starts at 00:00 UTC), so every process agrees on them.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from emolytics.extensions import db
from emolytics.tables import PeriodicRun, utcnow

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Claims are kept this long (or two periods, if longer) to show when each task last ran; a
# claim deletes its task's older ones, so a task due every minute keeps a week of rows.
KEEP_CLAIMS = timedelta(days=7)
TaskRun = Callable[[], object]  # runs in an app context; what it returns is kept as the outcome


@dataclass(frozen=True)
class Task:
    name: str
    period: timedelta
    run: TaskRun

    def period_start(self, now: datetime) -> datetime:
        """The start of the period `now` falls in."""
        return EPOCH + self.period * ((now - EPOCH) // self.period)


class Scheduler:
    def __init__(self, app: Flask, tick: timedelta) -> None:
        self.app = app
        self.tick = tick
        self.tasks: dict[str, Task] = {}
        # The last period this process saw claimed (by itself or another), per task: a tick
        # asks the database only when a new period has begun.
        self.settled: dict[str, datetime] = {}
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()

    def add(self, name: str, period: timedelta, run: TaskRun) -> None:
        if name in self.tasks:
            raise ValueError(f"a periodic task named {name!r} is already registered")
        if period < self.tick:
            raise ValueError(
                f"{name}: a period shorter than the tick ({self.tick}) would be missed"
            )
        self.tasks[name] = Task(name, period, run)

    def run_due(self, now: datetime | None = None) -> list[str]:
        """Claim and run every task whose current period nobody has claimed yet (in an app
        context); the names of the tasks this call ran."""
        now = now or utcnow()
        ran = []
        for task in self.tasks.values():
            start = task.period_start(now)
            if self.settled.get(task.name) == start:
                continue
            claimed = _claim(task, start)
            self.settled[task.name] = start
            if claimed is not None:
                _run(task, claimed)
                ran.append(task.name)
        return ran

    def run_now(self, name: str) -> object:
        """Run one task at once, outside its schedule (the CLI); what it returns."""
        return self.tasks[name].run()

    def start_thread(self) -> None:
        """Run due tasks every tick in a daemon thread of this process (once per process)."""
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.thread = threading.Thread(
                target=self._work, name="emolytics-scheduler", daemon=True
            )
            self.thread.start()

    def _work(self) -> None:
        while True:
            with self.app.app_context():
                try:
                    self.run_due()
                except Exception:  # a broken database must not end the thread
                    log.exception("periodic tasks could not be scheduled")
                    db.session.rollback()
            if self.stop.wait(self.tick.total_seconds()):
                return


def _claim(task: Task, period_start: datetime) -> int | None:
    """The id of this process's claim on the period; None when another process holds it."""
    kept_since = period_start - max(KEEP_CLAIMS, 2 * task.period)
    db.session.execute(
        delete(PeriodicRun).where(
            PeriodicRun.task == task.name, PeriodicRun.period_start < kept_since
        )
    )
    run = PeriodicRun(task=task.name, period_start=period_start, started_at=utcnow())
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run.id


def _run(task: Task, run_id: int) -> None:
    try:
        result = task.run()
    except Exception as error:
        db.session.rollback()
        log.exception("periodic task %s failed", task.name)
        outcome = f"failed: {error}"
    else:
        outcome = "ok" if result is None else f"ok: {result}"
    claim = db.session.get(PeriodicRun, run_id)
    if claim is not None:
        claim.finished_at = utcnow()
        claim.outcome = outcome[:300]
        db.session.commit()


def init_app(app: Flask) -> Scheduler:
    """Give `app` its (empty) scheduler; the factory registers the tasks."""
    scheduler = Scheduler(app, timedelta(seconds=app.config["SCHEDULER_TICK_SECONDS"]))
    app.extensions["emolytics_scheduler"] = scheduler
    return scheduler


def get_scheduler() -> Scheduler:
    """The current app's scheduler."""
    return current_app.extensions["emolytics_scheduler"]
