"""The job runner: the edge where a part of a job runs and its errors become job state."""

import logging

from flask import current_app
from sqlalchemy import func, select, update

from emolytics.engine import EngineError
from emolytics.extensions import db
from emolytics.pipeline import (
    adaptation,
    analysis,
    counts,
    jobs,
    personal_data,
    tagging,
    training,
)
from emolytics.pipeline.analysis import JobCancelled, JobGone
from emolytics.pipeline.ingest import IngestError
from emolytics.pipeline.purge import OwnerGone
from emolytics.tables import FINISHED, Dataset, Job, JobKind, JobPart, JobStatus, utcnow

log = logging.getLogger(__name__)
INTERNAL_ERROR = (
    "The job stopped because of an internal error (it has been logged). Try running it again."
)


def run_part(job_id: int, part: int) -> None:
    """Run one part of a job, unless another worker has it or the job is over."""
    if not _claim(job_id, part):
        return
    job = db.session.get(Job, job_id)
    part_row = db.session.get(JobPart, (job_id, part))
    if job is None or part_row is None:
        return
    try:
        if not _run(job, part_row):
            _take_turn(job_id, part)
            return
        part_row.status = JobStatus.DONE
        db.session.commit()
        _finish_if_complete(job)
    except (OwnerGone, JobCancelled):  # deleted or cancelled while it ran: nothing to do
        db.session.rollback()
    except (EngineError, IngestError, personal_data.KeyUnreadable) as error:
        db.session.rollback()
        _fail(job_id, str(error))
    except Exception:
        db.session.rollback()
        if not _exists(job_id):
            # Deleted (its dataset or model, say) between two of our reads: the ORM then
            # finds rows gone (ObjectDeletedError, StaleDataError). A user's normal action.
            log.info("job %s part %s stopped: the job was deleted", job_id, part)
            return
        log.exception("job %s part %s failed", job_id, part)
        _fail(job_id, INTERNAL_ERROR)


def _claim(job_id: int, part: int) -> bool:
    """Take a queued part for this worker (exactly one worker wins)."""
    now = utcnow()
    taken = db.session.execute(
        update(JobPart)
        .where(JobPart.job_id == job_id, JobPart.part == part, JobPart.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, heartbeat_at=now, attempts=JobPart.attempts + 1)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        return False
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now)
    )
    db.session.commit()
    return True


def _run(job: Job, part: JobPart) -> bool:
    """Run the part, or (an analysis) its next slice; whether the part is complete."""
    if job.kind == JobKind.ANALYSIS:
        return analysis.run_part(job, part, current_app.config["JOB_SLICE_TEXTS"])
    if job.kind == JobKind.TRAINING:
        training.run(job)
    elif job.kind == JobKind.ADAPTATION:
        adaptation.run(job)
    elif job.kind == JobKind.TAGGING:
        dataset = _dataset_of(job)
        tagging.retag(dataset, on_progress=lambda done: _progress(job.id, done))
        counts.recount(dataset.id)  # the dashboard's keyword numbers follow the new tags
    elif job.kind == JobKind.MASKING:
        dataset = _dataset_of(job)
        personal_data.mask_stored(dataset, on_progress=lambda done: _progress(job.id, done, True))
        jobs.start_analysis(dataset, job.model_id)  # explanations, terms: of the masked texts
    return True


def _dataset_of(job: Job) -> Dataset:
    dataset = db.session.get(Dataset, job.dataset_id)
    if dataset is None:
        raise JobGone(f"dataset of job {job.id}")
    return dataset


def _take_turn(job_id: int, part: int) -> None:
    """Queue the rest of the part behind what is waiting, so that analyses take turns and a
    large one holds no worker for long. A part cancelled meanwhile stays as it is."""
    requeued = db.session.execute(
        update(JobPart)
        .where(JobPart.job_id == job_id, JobPart.part == part, JobPart.status == JobStatus.RUNNING)
        .values(status=JobStatus.QUEUED, heartbeat_at=utcnow())
    )
    db.session.commit()
    if requeued.rowcount == 1:
        jobs.enqueue_parts(job_id, [part])


def _exists(job_id: int) -> bool:
    return db.session.scalar(select(Job.id).where(Job.id == job_id)) is not None


def _progress(job_id: int, done: int, stoppable: bool = False) -> None:
    """The job's progress; `stoppable`: JobCancelled (or JobGone) if it was cancelled."""
    if stoppable:
        analysis.check_still_wanted(job_id)
    db.session.execute(update(Job).where(Job.id == job_id).values(done=done))


def _finish_if_complete(job: Job) -> None:
    unfinished = db.session.scalar(
        select(func.count())
        .select_from(JobPart)
        .where(JobPart.job_id == job.id, JobPart.status != JobStatus.DONE)
    )
    if unfinished:
        return
    # Claiming `finished_at` picks the one worker that finishes the job; the status turns to
    # done only with the results in place (for an analysis: in `analysis.finish`), so a page
    # that sees "done" always finds them.
    won = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status == JobStatus.RUNNING, Job.finished_at.is_(None))
        .values(finished_at=utcnow())
    )
    db.session.commit()
    if won.rowcount != 1:
        return
    db.session.refresh(job)
    if job.kind == JobKind.ANALYSIS:
        analysis.finish(job)
    else:
        job.status = JobStatus.DONE
        db.session.commit()


def _readable(message: str) -> str:
    """An error message fit to store and show: messages may quote the user's file, and
    PostgreSQL refuses NUL in text."""
    return "".join(char if char.isprintable() else "\ufffd" for char in message)[:500]


def _fail(job_id: int, message: str) -> None:
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.not_in(list(FINISHED)))
        .values(status=JobStatus.FAILED, error=_readable(message), finished_at=utcnow())
    )
    db.session.execute(
        update(JobPart)
        .where(JobPart.job_id == job_id, JobPart.status != JobStatus.DONE)
        .values(status=JobStatus.FAILED)
    )
    db.session.commit()
