"""Alert deliveries with RQ: several `emolytics worker` processes, each running the scheduler,
claim each period of "alerts.deliver" once and POST a pending webhook delivery exactly once."""

import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.tables import AlertDelivery, PeriodicRun
from tests.conftest import PASSWORD, REDIS_URL, _clean_tables
from tests.notifications.alert_rows import SECRET, make_alert
from tests.services.workers import QUEUE, start_worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (os.environ.get("TEST_DATABASE_URL") and REDIS_URL),
        reason="set TEST_DATABASE_URL and TEST_REDIS_URL to run the RQ tests",
    ),
]
WORKERS = 3


@pytest.fixture
def rq_app(app_factory, postgres_url):
    app = app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE="rq", RQ_QUEUE=QUEUE)
    with app.app_context():
        _clean_tables()
        registration.register("ada", PASSWORD)
    return app


def delivered(app) -> bool:
    with app.app_context():
        status = db.session.scalar(select(AlertDelivery.status))
        db.session.remove()
        return status == "delivered"


def test_several_workers_send_a_delivery_once(
    rq_app, receiver, postgres_url, tmp_path, monkeypatch
):
    receiver.secret = SECRET
    with rq_app.app_context():
        make_alert(webhook_url=receiver.url)
    monkeypatch.setenv("EMOLYTICS_WEBHOOK_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("EMOLYTICS_SCHEDULER_TICK_SECONDS", "0.2")
    workers = [start_worker(tmp_path / str(n), postgres_url) for n in range(WORKERS)]
    try:
        deadline = time.monotonic() + 90
        while not delivered(rq_app):
            for worker in workers:
                assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the delivery was never sent"
            time.sleep(0.2)
        time.sleep(3)  # every worker's scheduler ticks again meanwhile
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            worker.stderr.close()

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert receiver.signed(headers, body)
    with rq_app.app_context():
        claims = db.session.execute(
            select(PeriodicRun.period_start, func.count())
            .where(PeriodicRun.task == "alerts.deliver")
            .group_by(PeriodicRun.period_start)
        ).all()
        outcomes = db.session.scalars(
            select(PeriodicRun.outcome).where(PeriodicRun.task == "alerts.deliver")
        ).all()
    assert claims and all(count == 1 for _, count in claims)
    assert outcomes.count("ok: 1") == 1  # one run sent it; any other found nothing due
