"""A file's texts added to an existing dataset (next month's survey export, a late batch of
reviews), all or nothing, then analysed with the model of the dataset's analysis.

The file's columns are the dataset's: each one the dataset's texts were read from is read
again where the file has a column of that name; where it has not (an export whose columns were
renamed), it is guessed as a new upload's are; a column the caller names wins over both.
Analysing the texts starts the dataset's analysis again, with its model: the analysis stays
one for the whole dataset, with its corrections applied (see `analysis.finish`); an analysis
still running analyses them when it ends (`analysis.catch_up`). The live feed (the API's
texts) is the way to add a few texts at a time: they are analysed at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import IO

from sqlalchemy import select, update

from emolytics.extensions import db
from emolytics.pipeline import jobs, reading, statistics
from emolytics.pipeline.datasets import DatasetNotFound, store_rows, whole_or_nothing
from emolytics.pipeline.ingest import BadRow, Columns
from emolytics.pipeline.preview import preview
from emolytics.pipeline.purge import OwnerGone, hold
from emolytics.tables import Dataset, Job, JobKind


@dataclass(frozen=True)
class AddedFile:
    """What adding a file stored, and the analysis that will analyse its texts."""

    added: int
    skipped: int  # unreadable rows left out (the caller asked to skip them)
    skipped_rows: list[BadRow]  # the first of them
    columns: Columns  # the columns the texts were read from
    job: Job
    restarted: bool  # False: the analysis under way analyses them before it ends


def add_file(
    dataset: Dataset,
    binary: IO[bytes],
    filename: str | None,
    chosen: Columns | None = None,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    before_commit: Callable[[], None] | None = None,
) -> AddedFile:
    """Store the file's texts in `dataset` and have them analysed (see the module's note).

    Raises IngestError (the file cannot be used, holds no texts, or has unreadable rows and
    `skip_bad_rows` is off), QuotaExceeded or DatasetNotFound (deleted meanwhile); nothing
    is stored then. `before_commit` adds to the transaction what must exist exactly when the
    texts do (the answer kept for a retry).
    """
    columns = columns_of(dataset, binary, filename, chosen, sheet)
    rows = reading.read_texts(binary, filename, columns, sheet)
    with whole_or_nothing(before_commit):
        _hold(dataset)
        stored, bad = store_rows(dataset, rows, skip_bad_rows)
        db.session.execute(
            update(Dataset)
            .where(Dataset.id == dataset.id)
            .values(row_count=Dataset.row_count + stored)
        )
        job, staged = _analysis(dataset)
    statistics.refresh("texts", "text_keywords")
    db.session.expire(dataset, ["row_count"])
    if staged:
        job = jobs.enqueue(job)
    return AddedFile(stored, bad.count, bad.listed, columns, job, restarted=staged)


def columns_of(
    dataset: Dataset,
    binary: IO[bytes],
    filename: str | None,
    chosen: Columns | None = None,
    sheet: str | None = None,
) -> Columns:
    """The columns to read the file's texts from: those `chosen`, else the dataset's where
    the file has them, else the guesses of a new upload (raises what `preview` raises)."""
    found = preview(binary, filename, sheet=sheet)
    binary.seek(0)
    stored = dataset.column_map or {}
    picked = {}
    for role in (item.name for item in fields(Columns)):
        named = stored.get(role)
        guessed = getattr(found.guesses, role)
        picked[role] = named if named in found.columns else guessed
    return Columns(**picked).but(chosen)


def _analysis(dataset: Dataset) -> tuple[Job, bool]:
    """The analysis that will analyse the new texts, and whether it is new (staged in this
    transaction, to be queued once committed): a running one catches them up when it ends;
    else the dataset's analysis starts again, with the model of its current (or last) one."""
    running = jobs.unfinished_jobs(dataset.id, JobKind.ANALYSIS)
    if running:
        return running[0], False
    model_id = db.session.scalar(
        select(Job.model_id)
        .where(Job.dataset_id == dataset.id, Job.kind == JobKind.ANALYSIS)
        .order_by((Job.id == dataset.current_job_id).desc(), Job.id.desc())
        .limit(1)
    )
    return jobs.stage_analysis(dataset, model_id), True


def _hold(dataset: Dataset) -> None:
    """Keep the dataset from being deleted while its texts are written (they have no foreign
    key: see `purge`)."""
    try:
        hold(Dataset, dataset.id)
    except OwnerGone:
        raise DatasetNotFound(dataset.id) from None
