"""Recovery: queue again the parts of unfinished jobs that no worker will run.

A part is lost to the queue when its worker dies mid-run (its heartbeat stops), when the queue
could not take it (Redis was down when the job was committed), or when the queue lost it
(Redis restarted without its data). Every part is taken back with a conditional update, so
when several workers recover at once, one of them queues it.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from emolytics.extensions import db
from emolytics.jobqueue import get_queue
from emolytics.pipeline.jobs import enqueue_parts
from emolytics.tables import Job, JobPart, JobStatus, utcnow

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


def recover_stale(stale_after: timedelta) -> list[tuple[int, int]]:
    """Queue again the running parts whose worker stopped beating (killed, machine lost)."""
    stale = db.session.execute(
        select(JobPart.job_id, JobPart.part, JobPart.heartbeat_at)
        .join(Job, Job.id == JobPart.job_id)
        .where(
            Job.status.in_(UNFINISHED),
            JobPart.status == JobStatus.RUNNING,
            JobPart.heartbeat_at < utcnow() - stale_after,
        )
    ).all()
    return [
        (job_id, part)
        for job_id, part, heartbeat in stale
        if _take_back(job_id, part, JobStatus.RUNNING, heartbeat)
    ]


def recover_queued(stale_after: timedelta) -> list[tuple[int, int]]:
    """Queue again the queued parts that the queue does not hold, and has not held for
    `stale_after`: never queued (the queue was unreachable), or lost by the queue.

    A part's heartbeat tells when it was last queued; one that was never queued dates from
    its job. Waiting `stale_after` leaves the web process that committed a part the time to
    queue it.
    """
    queued_at = func.coalesce(JobPart.heartbeat_at, Job.created_at)
    waiting = db.session.execute(
        select(JobPart.job_id, JobPart.part, JobPart.heartbeat_at, JobPart.queue_id)
        .join(Job, Job.id == JobPart.job_id)
        .where(
            Job.status.in_(UNFINISHED),
            JobPart.status == JobStatus.QUEUED,
            queued_at < utcnow() - stale_after,
        )
    ).all()
    queue = get_queue()
    return [
        (job_id, part)
        for job_id, part, heartbeat, queue_id in waiting
        if not queue.holds(queue_id) and _take_back(job_id, part, JobStatus.QUEUED, heartbeat)
    ]


def _take_back(job_id: int, part: int, status: JobStatus, heartbeat: datetime | None) -> bool:
    """Queue the part again if it is still as it was seen (no other worker took it)."""
    same_heartbeat = (
        JobPart.heartbeat_at.is_(None) if heartbeat is None else JobPart.heartbeat_at == heartbeat
    )
    taken = db.session.execute(
        update(JobPart)
        .where(
            JobPart.job_id == job_id,
            JobPart.part == part,
            JobPart.status == status,
            same_heartbeat,
        )
        .values(status=JobStatus.QUEUED, heartbeat_at=utcnow())
    )
    db.session.commit()
    if taken.rowcount != 1:
        return False
    enqueue_parts(job_id, [part])
    return True


def resume_unfinished() -> list[tuple[int, int]]:
    """Queue every unfinished part again: for the in-process queue when the process starts,
    since no other process can be running them."""
    unfinished = db.session.execute(
        select(JobPart.job_id, JobPart.part)
        .join(Job, Job.id == JobPart.job_id)
        .where(Job.status.in_(UNFINISHED), JobPart.status.in_(UNFINISHED))
    ).all()
    db.session.execute(
        update(JobPart).where(JobPart.status == JobStatus.RUNNING).values(status=JobStatus.QUEUED)
    )
    db.session.commit()
    for job_id, part in unfinished:
        enqueue_parts(job_id, [part])
    return [tuple(row) for row in unfinished]
