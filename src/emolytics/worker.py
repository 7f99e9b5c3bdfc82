"""`emolytics worker`: an RQ worker for Emolytics jobs, plus recovery of abandoned parts.

An edge like the CLI: it may build the app (`run_part`, what RQ calls), and no module of the app
imports it.
"""

import logging
import threading
from datetime import timedelta
from functools import cache

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker

from emolytics import runner
from emolytics.app import create_app
from emolytics.pipeline import recovery
from emolytics.scheduler import get_scheduler

log = logging.getLogger(__name__)


def work(app: Flask, *, burst: bool) -> None:
    """Work jobs until stopped (or, with `burst`, until the queue is empty), and the periodic
    tasks (see scheduler: a thread, or once before a burst).

    A side thread checks every `stale_after / 4` for parts whose worker stopped beating (it was
    killed, or its machine lost), and for queued parts the queue does not hold (Redis was
    unreachable when they were committed), and queues them again; a part resumes where its
    last committed chunk ended.
    """
    stale_after = timedelta(seconds=app.config["JOB_STALE_SECONDS"])
    with app.app_context():
        _recover(stale_after)
        periodic = get_scheduler()
        if burst:
            periodic.run_due()
        else:
            periodic.start_thread()  # every worker schedules; each period runs once in one
    stop = threading.Event()
    if not burst:
        watcher = threading.Thread(
            target=_watch, args=(app, stale_after, stop), name="emolytics-recovery", daemon=True
        )
        watcher.start()
    connection = Redis.from_url(app.config["REDIS_URL"])
    # SimpleWorker runs parts in this process, so the app and the loaded models are reused.
    queue = Queue(app.config["RQ_QUEUE"], connection=connection)
    worker = Worker([queue], connection=connection)
    try:
        worker.work(burst=burst, logging_level="WARNING")
    finally:
        stop.set()


class Worker(SimpleWorker):
    """RQ's SimpleWorker, whose command listener wakes every second.

    RQ listens for its commands (shutdown, stop a job) in a redis-py thread that waits up to 60 s
    for a message, and stopping the worker waits for that thread: when the listener has already
    seen its channel unsubscribed, a worker told to stop (SIGTERM) took up to a minute to exit.
    """

    LISTEN_SECONDS = 1.0

    def subscribe(self) -> None:
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=self.LISTEN_SECONDS,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )


def _watch(app: Flask, stale_after: timedelta, stop: threading.Event) -> None:
    while not stop.wait(stale_after.total_seconds() / 4):
        with app.app_context():
            _recover(stale_after)


def _recover(stale_after: timedelta) -> None:
    for job_id, part in recovery.recover_stale(stale_after):
        log.warning("job %s part %s had stopped; queued again", job_id, part)
    for job_id, part in recovery.recover_queued(stale_after):
        log.warning("job %s part %s was not in the queue; queued again", job_id, part)


@cache
def _app() -> Flask:
    return create_app()


def run_part(job_id: int, part: int) -> None:
    """The RQ entry point (`jobqueue.RQ_ENTRY_POINT`): a worker process builds the app once and
    runs each part in a context of its own."""
    with _app().app_context():
        runner.run_part(job_id, part)
