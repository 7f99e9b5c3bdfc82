"""Jobs: start, cancel, find, and the deletions that must reach the queue too (recovery of
parts no worker holds is in `recovery`).

The state of every job lives in the database; the queue only carries `(job id, part)`.
"""

import logging
from collections.abc import Callable, Sequence

from flask import current_app
from sqlalchemy import delete, func, select, update

from emolytics.extensions import db
from emolytics.jobqueue import QueueUnavailable, get_queue
from emolytics.pipeline import analyzers, purge
from emolytics.tables import (
    FINISHED,
    Dataset,
    EmotionModel,
    Job,
    JobKind,
    JobPart,
    JobStatus,
    Team,
    TextRow,
    utcnow,
)

log = logging.getLogger(__name__)


class JobNotFound(LookupError):
    """No such job in this team."""


class JobError(Exception):
    """A job cannot be started or changed; the message is for the user."""


# --- starting ---------------------------------------------------------------------------------


def start_analysis(dataset: Dataset, model_id: int | None = None) -> Job:
    """Analyse every text of `dataset` with the default analyzer or a trained model."""
    for running in unfinished_jobs(dataset.id, JobKind.ANALYSIS):
        cancel(running)
    job = stage_analysis(dataset, model_id)
    db.session.commit()  # before enqueueing: a worker must find the rows
    return enqueue(job)


def stage_analysis(dataset: Dataset, model_id: int | None = None) -> Job:
    """The analysis job of `dataset` and its parts, added to the session's transaction; the
    caller commits, then calls `enqueue`."""
    first, last, total = db.session.execute(
        select(func.min(TextRow.id), func.max(TextRow.id), func.count()).where(
            TextRow.dataset_id == dataset.id
        )
    ).one()
    if not total:
        raise JobError("This dataset has no texts to analyse.")
    job = Job(
        team_id=dataset.team_id,
        kind=JobKind.ANALYSIS,
        dataset_id=dataset.id,
        model_id=model_id,
        total=total,
        first_text_id=first,
        last_text_id=last,
    )
    parts = max(1, min(current_app.config["JOB_PARTS"], total // 1000 or 1))
    return _stage(job, _split(first, last, parts))


def start_training(model: EmotionModel) -> Job:
    job = Job(team_id=model.team_id, kind=JobKind.TRAINING, model_id=model.id, total=1)
    return _submit(job, [(None, None)])


def start_adaptation(model: EmotionModel, dataset: Dataset, steps: int) -> Job:
    """Adapt to the dataset's corrections into `model` (a new row, committed with the job), in
    `steps` steps of progress."""
    job = Job(
        team_id=model.team_id,
        kind=JobKind.ADAPTATION,
        dataset_id=dataset.id,
        model_id=model.id,
        total=steps,
    )
    return _submit(job, [(None, None)])


def start_tagging(dataset: Dataset) -> Job:
    for running in unfinished_jobs(dataset.id, JobKind.TAGGING):
        cancel(running)
    job = Job(
        team_id=dataset.team_id,
        kind=JobKind.TAGGING,
        dataset_id=dataset.id,
        total=dataset.row_count,
    )
    return _submit(job, [(None, None)])


def start_masking(dataset: Dataset, model_id: int | None) -> Job:
    """Mask the dataset's stored texts, then analyse them again with `model_id` (None: the
    default analyzer)."""
    job = Job(
        team_id=dataset.team_id,
        kind=JobKind.MASKING,
        dataset_id=dataset.id,
        model_id=model_id,
        total=dataset.row_count,
    )
    return _submit(job, [(None, None)])


def _split(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous id ranges covering first..last."""
    size = (last - first + 1) / parts
    bounds = [first + round(size * index) for index in range(parts)] + [last + 1]
    return [(bounds[index], bounds[index + 1] - 1) for index in range(parts)]


def _submit(job: Job, ranges: list[tuple[int | None, int | None]]) -> Job:
    _stage(job, ranges)
    db.session.commit()  # before enqueueing: a worker must find the rows
    return enqueue(job)


def _stage(job: Job, ranges: list[tuple[int | None, int | None]]) -> Job:
    db.session.add(job)
    db.session.flush()
    for index, (first, last) in enumerate(ranges):
        db.session.add(JobPart(job_id=job.id, part=index, first_text_id=first, last_text_id=last))
    db.session.flush()
    return job


def enqueue(job: Job) -> Job:
    """Queue the committed parts of `job`; the job as it is after that (an inline queue has
    run it)."""
    enqueue_parts(job.id, [part.part for part in _parts(job.id)])
    db.session.refresh(job)
    return job


def enqueue_parts(job_id: int, parts: list[int]) -> None:
    """Queue parts whose rows are committed and queued. When the queue cannot take them, they
    stay queued in the database, and a worker recovers them (`recovery.recover_queued`): the
    request that made them has stored what it promised, so it is not failed for this."""
    queue = get_queue()
    for part in parts:
        try:
            queue_id = queue.enqueue(job_id, part)
        except QueueUnavailable as error:
            log.warning("job %s part %s left for recovery: %s", job_id, part, error)
            return
        if queue_id is not None:  # queued since now, as `recover_queued` reads it
            db.session.execute(
                update(JobPart)
                .where(JobPart.job_id == job_id, JobPart.part == part)
                .values(queue_id=queue_id, heartbeat_at=utcnow())
            )
            db.session.commit()


# --- changing ---------------------------------------------------------------------------------


def cancel(job: Job) -> bool:
    """Cancel `job` unless it has finished; running parts stop after their current chunk."""
    if job.status in FINISHED:
        return False
    job.status = JobStatus.CANCELLED
    job.finished_at = utcnow()
    queue_ids = [part.queue_id for part in _parts(job.id) if part.queue_id]
    db.session.execute(
        update(JobPart)
        .where(JobPart.job_id == job.id, JobPart.status != JobStatus.DONE)
        .values(status=JobStatus.CANCELLED)
    )
    db.session.commit()
    get_queue().discard(queue_ids)
    return True


def forget_queued(jobs: list[Job]) -> None:
    """Remove the queued parts of `jobs` from the queue (their rows are about to go)."""
    queue_ids = [
        part.queue_id
        for job in jobs
        for part in _parts(job.id)
        if part.queue_id and part.status not in FINISHED
    ]
    get_queue().discard(queue_ids)


def delete_dataset(dataset: Dataset) -> None:
    """Remove a dataset with its texts, results and jobs, in the database and in the queue."""
    forget_queued(list(db.session.scalars(select(Job).where(Job.dataset_id == dataset.id))))
    purge.remove_datasets([dataset.id])
    db.session.commit()


def delete_model(model: EmotionModel) -> None:
    """Remove a trained model, its jobs, and the analyses that used it."""
    forget_queued(list(db.session.scalars(select(Job).where(Job.model_id == model.id))))
    purge.remove_models([model.id])
    db.session.commit()
    analyzers.forget_analyzer(model.id)


def delete_teams(team_ids: Sequence[int], before_commit: Callable[[], None] | None = None) -> None:
    """Remove teams with everything in them (datasets, texts, results, models, jobs, tokens,
    memberships, invitations), in the database and in the queue; `before_commit` adds what
    the caller changes with them (the account going, the counters of the members' seats)."""
    purge.lock_for_removal(Team, team_ids)  # no new dataset or model can be theirs from here on
    dataset_ids = list(db.session.scalars(select(Dataset.id).where(Dataset.team_id.in_(team_ids))))
    model_ids = list(
        db.session.scalars(select(EmotionModel.id).where(EmotionModel.team_id.in_(team_ids)))
    )
    forget_queued(list(db.session.scalars(select(Job).where(Job.team_id.in_(team_ids)))))
    purge.remove_datasets(dataset_ids)
    purge.remove_models(model_ids)
    leftover = list(db.session.scalars(select(Job.id).where(Job.team_id.in_(team_ids))))
    purge.lock_for_removal(Job, leftover)
    purge.remove_jobs_rows(leftover)
    db.session.execute(delete(Team).where(Team.id.in_(team_ids)))  # the rest cascades
    if before_commit is not None:
        before_commit()
    db.session.commit()
    for model_id in model_ids:
        analyzers.forget_analyzer(model_id)


# --- finding ----------------------------------------------------------------------------------


def owned(team_id: int, job_id: int) -> Job:
    job = db.session.scalar(select(Job).where(Job.id == job_id, Job.team_id == team_id))
    if job is None:
        raise JobNotFound(job_id)
    return job


def unfinished_jobs(dataset_id: int, kind: JobKind) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job).where(
                Job.dataset_id == dataset_id,
                Job.kind == kind,
                Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
            )
        )
    )


def latest(dataset_id: int, kind: JobKind = JobKind.ANALYSIS) -> Job | None:
    return db.session.scalar(
        select(Job)
        .where(Job.dataset_id == dataset_id, Job.kind == kind)
        .order_by(Job.id.desc())
        .limit(1)
    )


def list_for(team_id: int, limit: int = 50) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job).where(Job.team_id == team_id).order_by(Job.id.desc()).limit(limit)
        )
    )


def _parts(job_id: int) -> list[JobPart]:
    return list(db.session.scalars(select(JobPart).where(JobPart.job_id == job_id)))
