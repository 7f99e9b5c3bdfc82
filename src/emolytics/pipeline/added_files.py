"""A file's texts added to an existing dataset (next month's survey export, a late batch of
reviews), all or nothing, then analysed with the model of the dataset's analysis; or a file's
texts taken out again (`remove`: the wrong month's export).

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
from emolytics.pipeline import dataset_files, jobs, reading, statistics, taking_out
from emolytics.pipeline.datasets import store_rows, whole_or_nothing
from emolytics.pipeline.ingest import BadRow, Columns
from emolytics.pipeline.preview import preview
from emolytics.pipeline.taking_out import RemovalRefused
from emolytics.tables import (
    Dataset,
    Job,
    JobKind,
    TextRow,
)


@dataclass(frozen=True)
class Removed:
    file: str  # `dataset_files.described`
    name: str  # the file's
    texts: int
    corrections: int  # the team's corrections of its texts, gone with them


@dataclass(frozen=True)
class AddedFile:
    """What adding a file stored, and the analysis that will analyse its texts."""

    file: dataset_files.Listed
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
    again: bool = False,
    user_id: int | None = None,
) -> AddedFile:
    """Store the file's texts in `dataset` (added by `user_id`) and have them analysed (see
    the module's note).

    Raises IngestError (the file cannot be used, holds no texts, has unreadable rows and
    `skip_bad_rows` is off, or is in the dataset already and `again` is off: DuplicateFile),
    QuotaExceeded or DatasetNotFound (deleted meanwhile); nothing is stored then.
    `before_commit` adds to the transaction what must exist exactly when the texts do (the
    answer kept for a retry).
    """
    seen = dataset_files.fingerprint(binary, filename, sheet)
    if not again:
        dataset_files.refuse_again(dataset.id, seen, binary)
    columns = columns_of(dataset, binary, filename, chosen, sheet)
    rows = reading.read_texts(binary, filename, columns, sheet, numbered=seen.numbered)
    with whole_or_nothing(before_commit):
        taking_out.hold_dataset(dataset)
        found = dataset_files.record(dataset.id, seen, user_id)
        stored, bad = store_rows(dataset, rows, skip_bad_rows, found)
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
    [listed] = dataset_files.listed(dataset.id, found.id)
    return AddedFile(listed, stored, bad.count, bad.listed, columns, job, restarted=staged)


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


def remove(dataset: Dataset, file_id: int) -> Removed:
    """Take the file's texts out of the dataset, with their keyword tags, results, corrections
    and places in the current analysis's counts and map (`taking_out`), in one transaction:
    the dashboard shows the rest at once, with no new analysis.

    Raises FileNotFound, DatasetNotFound (deleted meanwhile), or RemovalRefused while an
    analysis of the dataset is under way or when the file's texts are all the dataset has
    (delete the dataset instead).
    """
    found = dataset_files.owned(dataset.id, file_id)
    with whole_or_nothing():
        job = taking_out.held(dataset, "take the file's texts out")
        ids = list(
            db.session.scalars(
                select(TextRow.id)
                .where(TextRow.dataset_id == dataset.id, TextRow.file_id == found.id)
                .order_by(TextRow.id)
            )
        )
        row_count = db.session.scalar(select(Dataset.row_count).where(Dataset.id == dataset.id))
        if len(ids) >= row_count:
            raise RemovalRefused(
                "These are all of the dataset's texts: delete the dataset instead."
            )
        corrected = taking_out.take_out(dataset, job, ids)
        db.session.delete(found)
    return Removed(dataset_files.described(found), found.name, len(ids), corrected)
