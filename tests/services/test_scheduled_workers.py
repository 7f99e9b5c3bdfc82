"""Periodic tasks with RQ: every `emolytics worker` schedules them, and each period runs once."""

import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from emolytics.accounts import audit
from emolytics.extensions import db
from emolytics.tables import AuditEvent, PeriodicRun, utcnow
from tests.conftest import REDIS_URL, _clean_tables
from tests.services.workers import QUEUE, start_worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (os.environ.get("TEST_DATABASE_URL") and REDIS_URL),
        reason="set TEST_DATABASE_URL and TEST_REDIS_URL to run the RQ tests",
    ),
]


@pytest.fixture
def rq_app(app_factory, postgres_url):
    app = app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE="rq", RQ_QUEUE=QUEUE)
    with app.app_context():
        _clean_tables()
    return app


def test_several_workers_prune_the_audit_log_once(rq_app, tmp_path, postgres_url):
    with rq_app.app_context():
        for days in (400, 10):
            event = audit.record(
                audit.Event("dataset.deleted", audit.Actor(1, "ada"), 1, f"{days} days ago")
            )
            event.at = utcnow() - timedelta(days=days)
        db.session.commit()

    workers = [start_worker(tmp_path / str(n), postgres_url, "--burst") for n in range(4)]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()

    with rq_app.app_context():
        runs = db.session.execute(
            select(PeriodicRun.task, PeriodicRun.outcome).where(PeriodicRun.task == "audit.prune")
        ).all()
        kept = db.session.scalars(select(AuditEvent.target).order_by(AuditEvent.id)).all()
    assert runs == [("audit.prune", "ok: 1")]
    assert kept == ["10 days ago", "1 events older than 365 days"]
