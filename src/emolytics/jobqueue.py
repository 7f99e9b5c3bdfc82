"""One interface to run job parts in the background, three backends.

- inline: runs each part before `enqueue` returns (tests).
- thread: one worker thread in this process (the embedded default: no other server).
- rq: RQ on Redis, run by `emolytics worker` processes on any machine (production).

A part is `(job_id, part)`: ids, never ORM objects, cross the queue. What a part does lives in
`emolytics.runner`, which the factory hands to `init_app`: the queue imports no other module of
the app, so the runner may use the queue (an analysis taking turns queues its rest). The job's
state lives in the database, not here.
"""

import logging
import queue
import threading
from collections.abc import Callable
from typing import Protocol

from flask import Flask, current_app

log = logging.getLogger(__name__)
RQ_JOB_TIMEOUT = 6 * 3600
# What an RQ worker calls, by name: that module builds its own app, at the edge.
RQ_ENTRY_POINT = "emolytics.worker.run_part"
RunPart = Callable[[int, int], None]  # runs one part, in an app context


class QueueUnavailable(Exception):
    """The queue cannot take a part now (Redis is down, say)."""


class JobQueue(Protocol):
    def enqueue(self, job_id: int, part: int) -> str | None:
        """Schedule one part; returns the backend's id for it, if it has one.

        Raises QueueUnavailable when the part could not be scheduled.
        """

    def discard(self, queue_ids: list[str]) -> None:
        """Forget scheduled parts that have not started (a deleted dataset's, say)."""

    def holds(self, queue_id: str | None) -> bool:
        """Whether a part scheduled as `queue_id` will still run (or is running)."""


class InlineQueue:
    def __init__(self, run_part: RunPart) -> None:
        self.run_part = run_part

    def enqueue(self, job_id: int, part: int) -> None:
        self.run_part(job_id, part)
        return None

    def discard(self, queue_ids: list[str]) -> None:
        return None

    def holds(self, queue_id: str | None) -> bool:
        return False  # each part ran before `enqueue` returned


class ThreadQueue:
    """A daemon thread working through parts one at a time, in its own app context."""

    def __init__(self, app: Flask, run_part: RunPart) -> None:
        self.app = app
        self.run_part = run_part
        self.pending: queue.Queue[tuple[int, int]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def enqueue(self, job_id: int, part: int) -> None:
        self.pending.put((job_id, part))
        self._ensure_thread()
        return None

    def discard(self, queue_ids: list[str]) -> None:
        return None  # the runner skips parts of jobs that are gone or cancelled

    def holds(self, queue_id: str | None) -> bool:
        return True  # until the process ends; `resume_unfinished` takes over at the next start

    def _ensure_thread(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._work, name="emolytics-jobs", daemon=True
                )
                self.thread.start()

    def _work(self) -> None:
        while True:
            job_id, part = self.pending.get()
            with self.app.app_context():
                try:
                    self.run_part(job_id, part)
                except Exception:  # the runner records failures; this keeps the thread alive
                    log.exception("job %s part %s failed outside the runner", job_id, part)


class RedisQueue:
    def __init__(self, redis_url: str, queue_name: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(queue_name, connection=self.connection)

    def enqueue(self, job_id: int, part: int) -> str:
        from redis.exceptions import RedisError

        try:
            rq_job = self.queue.enqueue(
                RQ_ENTRY_POINT,
                job_id,
                part,
                job_timeout=RQ_JOB_TIMEOUT,
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
        except RedisError as error:
            raise QueueUnavailable(str(error)) from error
        return rq_job.id

    def discard(self, queue_ids: list[str]) -> None:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job as RQJob

        for queue_id in queue_ids:
            try:
                RQJob.fetch(queue_id, connection=self.connection).delete()
            except NoSuchJobError:
                continue  # already run and expired
            except ValueError:
                # rq found the part's execution gone mid-delete: it finished just now, after
                # being taken off the queue, which is all a discard wants
                continue

    def holds(self, queue_id: str | None) -> bool:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job as RQJob
        from rq.job import JobStatus as RQStatus

        if queue_id is None:
            return False
        try:
            status = RQJob.fetch(queue_id, connection=self.connection).get_status()
        except NoSuchJobError:
            return False
        return status in (RQStatus.QUEUED, RQStatus.STARTED, RQStatus.DEFERRED, RQStatus.SCHEDULED)


def init_app(app: Flask, run_part: RunPart) -> None:
    """Give `app` its queue, of the kind JOB_QUEUE names (inline | thread | rq), running parts
    with `run_part` (the RQ workers call `RQ_ENTRY_POINT` instead, in their own process)."""
    app.extensions["emolytics_queue"] = _make_queue(app, run_part)


def _make_queue(app: Flask, run_part: RunPart) -> JobQueue:
    kind = app.config["JOB_QUEUE"]
    if kind == "inline":
        return InlineQueue(run_part)
    if kind == "thread":
        return ThreadQueue(app, run_part)
    if kind == "rq":
        return RedisQueue(app.config["REDIS_URL"], app.config["RQ_QUEUE"])
    raise ValueError(f"JOB_QUEUE must be inline, thread or rq, not {kind!r}")


def get_queue() -> JobQueue:
    """The current app's queue."""
    return current_app.extensions["emolytics_queue"]
