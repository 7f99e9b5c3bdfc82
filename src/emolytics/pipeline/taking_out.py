"""Texts taken out of a dataset at once, with no new analysis: a file's (`added_files.remove`)
or those past the dataset's retention (`retention`). They go with their results, terms,
keyword tags, review holds and corrections, and leave the current analysis's counts and map in
the same transaction (`relabelling.take_out` for a few; for many the counts are made afresh,
cheaper then), so the dashboard, map, texts, exports and API show the rest at once. The top
terms lose the chunks of explained texts that began with one of them (they are a sample).
"""

from typing import Any

from sqlalchemy import Delete, delete, func, select

from emolytics.extensions import db
from emolytics.pipeline import counts, jobs, relabelling
from emolytics.pipeline.counts import among
from emolytics.pipeline.datasets import DatasetNotFound
from emolytics.pipeline.purge import OwnerGone, hold
from emolytics.pipeline.relabelling import IDS_PER_STATEMENT
from emolytics.tables import (
    Correction,
    Dataset,
    Job,
    JobKind,
    JobTerm,
    Result,
    ReviewHold,
    TextKeyword,
    TextRow,
)

# Texts up to this share of the dataset's are taken out of the counts text by text; more, and
# the counts are made afresh (cheaper then: some 7 us a text of the dataset, against some
# 130 us a text taken out, at a million texts on PostgreSQL: bench/file_removal.py)
TAKEN_OUT_SHARE = 1 / 20
UNDER_WAY = {
    JobKind.ANALYSIS: "An analysis of this dataset",
    JobKind.TAGGING: "Tagging this dataset's texts with its keywords",
}


class RemovalRefused(ValueError):
    """The texts cannot be taken out now (the message says why)."""


def hold_dataset(dataset: Dataset) -> None:
    """Keep the dataset from being deleted while its texts are written (they have no foreign
    key: see `purge`)."""
    try:
        hold(Dataset, dataset.id)
    except OwnerGone:
        raise DatasetNotFound(dataset.id) from None


def held(dataset: Dataset, what: str) -> Job | None:
    """Hold the dataset and its current analysis's counts (as the live feed does, which waits
    meanwhile); its current analysis. RemovalRefused while the texts are being analysed or
    tagged (`what`: what to do when it has finished, in words)."""
    hold_dataset(dataset)
    for kind, doing in UNDER_WAY.items():
        if jobs.unfinished_jobs(dataset.id, kind):
            raise RemovalRefused(f"{doing} is under way: {what} when it has finished.")
    if dataset.current_job_id is None:
        return None
    return db.session.scalar(
        select(Job).where(Job.id == dataset.current_job_id).with_for_update(of=Job)
    )


def take_out(dataset: Dataset, job: Job | None, ids: list[int]) -> int:
    """Take the texts `ids` (in id order) out of the dataset and of its current analysis `job`
    (`held`), in the caller's transaction; how many corrections went with them."""
    row_count = db.session.scalar(select(Dataset.row_count).where(Dataset.id == dataset.id))
    few = len(ids) <= row_count * TAKEN_OUT_SHARE
    if job is not None and few:
        relabelling.take_out(job.id, dataset.id, ids)
    corrected = _delete_texts(dataset.id, ids)
    if job is not None:
        _recounted(job, dataset.id, afresh=not few)
    dataset.row_count = Dataset.row_count - len(ids)
    return corrected


def _recounted(job: Job, dataset_id: int, afresh: bool) -> None:
    """The job's texts analysed, now that some are gone (the filters' sums are kept per
    analysis and texts analysed: `per_analysis`); its counts made `afresh` when asked."""
    if afresh:
        counts.count_results(job.id, dataset_id)
    analysed = select(func.count()).where(Result.job_id == job.id)
    job.total = job.done = db.session.scalar(analysed)


def _delete_texts(dataset_id: int, ids: list[int]) -> int:
    """Delete the texts `ids` with what is kept of them: the results and terms of every
    analysis of the dataset, the corrections, review holds and keyword tags; how many
    corrections went."""
    analyses = list(db.session.scalars(select(Job.id).where(Job.dataset_id == dataset_id)))
    terms, results, texts = JobTerm.__table__, Result.__table__, TextRow.__table__
    corrected = 0
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        chunk = ids[start : start + IDS_PER_STATEMENT]
        db.session.execute(
            delete(terms).where(terms.c.job_id.in_(analyses), among(terms.c.chunk, chunk))
        )
        db.session.execute(
            delete(results).where(results.c.job_id.in_(analyses), among(results.c.text_id, chunk))
        )
        for model in (ReviewHold, TextKeyword):
            db.session.execute(_their(model, dataset_id, chunk))
        corrected += db.session.execute(_their(Correction, dataset_id, chunk)).rowcount
        db.session.execute(delete(texts).where(among(texts.c.id, chunk)))
    return corrected


def _their(model: type[Any], dataset_id: int, text_ids: list[int]) -> Delete:
    """The dataset's `model` rows (keyed by dataset and text) of `text_ids`."""
    table = model.__table__
    return delete(table).where(table.c.dataset_id == dataset_id, among(table.c.text_id, text_ids))
