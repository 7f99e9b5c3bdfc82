"""Rows that come by the thousand, kept whole without foreign keys.

Texts and their keyword tags belong to a dataset; results, terms, counts and map points to an
analysis job. None of them has a foreign key (a key is checked row by row, which cost as much as
writing the rows), so two rules keep them whole instead:

- A writer of such rows first holds their owner's row (`hold`) and gives up if it is gone. On
  PostgreSQL the hold is the lock a foreign key check would take, once per transaction instead
  of once per row; on SQLite it is the database's single write lock.
- Removing an owner (`remove_datasets`, `remove_models`, and the account, model and team
  deletions that call them) first locks the owner rows for update, which waits for the writers
  holding them, then deletes the owners, then their rows. Rows committed by a writer before it
  are therefore seen and deleted, and a writer coming later finds no owner.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update

from emolytics.extensions import db
from emolytics.tables import (
    Dataset,
    EmotionModel,
    Job,
    JobCount,
    JobPoint,
    JobTerm,
    Result,
    TextKeyword,
    TextRow,
)

JOB_ROWS = (Result, JobTerm, JobCount, JobPoint)
DATASET_ROWS = (TextKeyword, TextRow)


class OwnerGone(LookupError):
    """The dataset or job that rows were being written for has been deleted."""


def hold(model: Any, owner_id: int) -> None:
    """Keep the `model` row `owner_id` from being deleted until this transaction ends;
    OwnerGone if it no longer exists."""
    if db.engine.dialect.name == "sqlite":
        # A write takes SQLite's one write lock, which no deletion can pass.
        found = db.session.execute(
            update(model).where(model.id == owner_id).values(id=model.id)
        ).rowcount
    else:
        statement = select(model.id).where(model.id == owner_id)
        found = db.session.scalar(statement.with_for_update(read=True, key_share=True))
    if not found:
        raise OwnerGone(f"{model.__tablename__} {owner_id}")


def lock_for_removal(model: Any, owner_ids: Sequence[int]) -> None:
    """Lock the `model` rows `owner_ids` for update: wait for their writers to commit, and
    make later writers wait until this transaction ends."""
    if not owner_ids:
        return
    if db.engine.dialect.name == "sqlite":
        db.session.execute(update(model).where(model.id.in_(owner_ids)).values(id=model.id))
    else:
        db.session.execute(select(model.id).where(model.id.in_(owner_ids)).with_for_update())


def remove_jobs_rows(job_ids: Sequence[int]) -> None:
    """Delete the results, terms, counts and points of `job_ids` (the caller commits)."""
    if job_ids:
        for model in JOB_ROWS:
            db.session.execute(delete(model).where(model.job_id.in_(job_ids)))


def remove_datasets(dataset_ids: Sequence[int]) -> None:
    """Delete datasets with their jobs, texts, tags and the jobs' rows (the caller commits).

    The caller has locked whatever owns the datasets (their user), if it can be deleted too.
    """
    if not dataset_ids:
        return
    lock_for_removal(Dataset, dataset_ids)
    job_ids = list(db.session.scalars(select(Job.id).where(Job.dataset_id.in_(dataset_ids))))
    lock_for_removal(Job, job_ids)
    db.session.execute(delete(Dataset).where(Dataset.id.in_(dataset_ids)))  # jobs cascade
    remove_jobs_rows(job_ids)
    for model in DATASET_ROWS:
        db.session.execute(delete(model).where(model.dataset_id.in_(dataset_ids)))


def remove_models(model_ids: Sequence[int]) -> None:
    """Delete trained models with the jobs that trained or used them and those jobs' rows; the
    datasets whose dashboards showed such a job show none (the caller commits)."""
    if not model_ids:
        return
    lock_for_removal(EmotionModel, model_ids)  # no new job can use them from here on
    job_ids = list(db.session.scalars(select(Job.id).where(Job.model_id.in_(model_ids))))
    db.session.execute(
        update(Dataset).where(Dataset.current_job_id.in_(job_ids)).values(current_job_id=None)
    )
    lock_for_removal(Job, job_ids)
    db.session.execute(delete(EmotionModel).where(EmotionModel.id.in_(model_ids)))  # jobs cascade
    remove_jobs_rows(job_ids)
