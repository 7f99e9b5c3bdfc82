"""The production job path: RQ on Redis, `emolytics worker` processes, PostgreSQL.

A worker killed in the middle of an analysis, and the job taken over by another worker, leaves
exactly one result per text.
"""

import os
import signal
import threading
import time

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import distinct, func, select

from emolytics.accounts import lifecycle, registration
from emolytics.extensions import db
from emolytics.jobqueue import RedisQueue
from emolytics.pipeline import datasets, jobs
from emolytics.pipeline.ingest import Columns, ParsedText
from emolytics.tables import Job, JobPart, Result
from emolytics.worker import Worker
from tests.conftest import PASSWORD, REDIS_URL, _clean_tables, team_of
from tests.services.workers import QUEUE, start_worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (os.environ.get("TEST_DATABASE_URL") and REDIS_URL),
        reason="set TEST_DATABASE_URL and TEST_REDIS_URL to run the RQ tests",
    ),
]
TEXTS = 40_000


@pytest.fixture
def rq_app(app_factory, postgres_url):
    app = app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE="rq", JOB_PARTS=2, RQ_QUEUE=QUEUE)
    with app.app_context():
        _clean_tables()
    yield app
    redis = Redis.from_url(REDIS_URL)
    with app.app_context():
        queue_ids = db.session.scalars(select(JobPart.queue_id)).all()
    for key in [*redis.scan_iter(match=f"*{QUEUE}*"), *(f"rq:job:{i}" for i in queue_ids if i)]:
        redis.delete(key)
    redis.close()


def make_dataset(app) -> int:
    with app.app_context():
        user = registration.register("ada", PASSWORD)
        rows = (
            ParsedText(line, f"text {line}: I {'love' if line % 2 else 'hate'} the tram")
            for line in range(1, TEXTS + 1)
        )
        upload = datasets.Upload(name="Big", source="upload", keywords=["tram"])
        dataset = datasets.import_rows(team_of(user.username), upload, Columns(text="text"), rows)
        return jobs.start_analysis(dataset).id


def job_state(app, job_id: int) -> tuple[str, int, int, int]:
    with app.app_context():
        job = db.session.get(Job, job_id)
        results = db.session.scalar(select(func.count()).where(Result.job_id == job_id))
        state = (job.status, job.done, results, job.total)
        db.session.remove()
        return state


def test_killed_worker_leaves_exactly_one_result_per_text(rq_app, postgres_url, tmp_path):
    job_id = make_dataset(rq_app)
    assert job_state(rq_app, job_id)[0] == "queued"

    first = start_worker(tmp_path, postgres_url)
    deadline = time.monotonic() + 60
    while job_state(rq_app, job_id)[2] == 0:
        assert first.poll() is None, first.stderr.read().decode()
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    first.stderr.close()
    status, _, results, total = job_state(rq_app, job_id)
    assert status == "running"
    assert 0 < results < total, "killed in the middle of the job"

    time.sleep(1.5)  # the killed part's heartbeat is now stale
    second = start_worker(tmp_path, postgres_url, "--burst")
    _, errors = second.communicate(timeout=240)
    assert second.returncode == 0, errors.decode()

    assert job_state(rq_app, job_id) == ("done", TEXTS, TEXTS, TEXTS)
    with rq_app.app_context():
        distinct_texts = db.session.scalar(
            select(func.count(distinct(Result.text_id))).where(Result.job_id == job_id)
        )
        assert distinct_texts == TEXTS
        attempts = db.session.scalars(select(JobPart.attempts).order_by(JobPart.part)).all()
        assert max(attempts) == 2  # the killed part ran twice; its first chunks were kept


def test_deleting_a_dataset_removes_its_queued_parts(rq_app):
    job_id = make_dataset(rq_app)
    redis = Redis.from_url(REDIS_URL)
    assert redis.llen(f"rq:queue:{QUEUE}") == 2
    with rq_app.app_context():
        job = db.session.get(Job, job_id)
        dataset = datasets.owned(job.team_id, job.dataset_id)
        jobs.delete_dataset(dataset)
    assert redis.llen(f"rq:queue:{QUEUE}") == 0
    redis.close()


def test_deleting_an_account_removes_its_queued_parts(rq_app):
    make_dataset(rq_app)
    redis = Redis.from_url(REDIS_URL)
    assert redis.llen(f"rq:queue:{QUEUE}") == 2
    with rq_app.app_context():
        user = registration.find_user("ada")
        lifecycle.remove_account(user, lifecycle.teams_going_with(user))
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    assert redis.llen(f"rq:queue:{QUEUE}") == 0
    redis.close()


def test_deleting_a_dataset_whose_part_just_finished_is_no_error(rq_app):
    """rq's delete raises ValueError when the part's execution vanished (it finished between
    the lookup and the delete): the deletion goes on."""
    job_id = make_dataset(rq_app)
    redis = Redis.from_url(REDIS_URL)
    with rq_app.app_context():
        queue_ids = db.session.scalars(select(JobPart.queue_id)).all()
        for queue_id in queue_ids:  # an execution registered, whose hash is already gone
            redis.zadd(f"rq:executions:{queue_id}", {"vanished": time.time() + 600})
        job = db.session.get(Job, job_id)
        jobs.delete_dataset(datasets.owned(job.team_id, job.dataset_id))
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    assert redis.llen(f"rq:queue:{QUEUE}") == 0
    redis.close()


def test_parts_redis_could_not_take_are_run_by_a_worker(rq_app, postgres_url, tmp_path):
    """Redis was out of reach when the job was committed: the upload stood, and the next
    worker finds the queued parts that no queue holds."""
    rq_app.extensions["emolytics_queue"] = RedisQueue("redis://127.0.0.1:1/0", QUEUE)
    job_id = make_dataset(rq_app)
    assert job_state(rq_app, job_id) == ("queued", 0, 0, TEXTS)
    assert Redis.from_url(REDIS_URL).llen(f"rq:queue:{QUEUE}") == 0

    time.sleep(1.5)  # queued longer than the stale time (1 s for these workers)
    worker = start_worker(tmp_path, postgres_url, "--burst")
    _, errors = worker.communicate(timeout=240)
    assert worker.returncode == 0, errors.decode()
    assert job_state(rq_app, job_id) == ("done", TEXTS, TEXTS, TEXTS)


def test_a_worker_told_to_stop_does_not_wait_for_its_idle_command_listener():
    connection = Redis.from_url(REDIS_URL)
    worker = Worker([Queue(QUEUE, connection=connection)], connection=connection)
    worker.subscribe()
    worker.pubsub.unsubscribe()  # the listener sees its channel go, and waits for another
    time.sleep(0.5)
    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    stopping.start()
    stopping.join(timeout=10)  # RQ's own listener waits 60 s here
    connection.close()
    assert not stopping.is_alive(), "the worker waited for its command listener"
