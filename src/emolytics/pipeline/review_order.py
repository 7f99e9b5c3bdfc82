"""The review queue's two orders of a dataset's texts, their heads kept by each process.

The queue (see `review`) takes the current analysis's scored texts that have no correction (of
those the dashboard's filters keep, when it has any) in one of two orders: least sure first
(by margin, smallest first, then by id; texts analysed before margins were kept last) or drawn
at random (by `sample_key`, then by id). Sorting a whole analysis reads all its results (0.3 s
at a million texts, on every page of the review), yet neither order changes until the analysis
gains texts (the live feed). So each process keeps the first HEAD texts of each order of an
analysis (and filters), corrected or not, and leaves out those corrected meanwhile when it
reads them (one query on the dataset's corrections). A review that gets past a head (HEAD
texts labelled, or skipped, on one analysis) reads the results again.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from emolytics.extensions import db
from emolytics.pipeline.filters import Filters, on_texts, result_conditions, searched
from emolytics.tables import NOT_SCORED, Correction, Dataset, Job, Result, TextRow

EVERY_TEXT = Filters()  # no filter: the queue of the whole analysis
HEAD = 1_000  # texts of each order kept per analysis
MAX_HEADS = 64  # heads a process keeps; it starts over when full
UNSURE = "unsure"
DRAWN = "drawn"


@dataclass(frozen=True, slots=True)
class Ranked:
    """A text of an order, with its margin (None: analysed before margins were kept)."""

    text_id: int
    margin: float | None


# (database, job id, job created at, job's texts done, order, filters) -> the order's head
_heads: dict[tuple[str, int, datetime, int, str, Filters], list[Ranked]] = {}


def sample_key(dataset_id: int, text_id: ColumnElement[int]) -> ColumnElement[int]:
    """A pseudo-random key in [0, 2**32) of each text, the same on every call (in SQL, the same
    on SQLite and PostgreSQL): two rounds of a multiplicative hash with a rotation between, the
    dataset's id mixed in. Every intermediate value stays below 2**63."""
    mixed = (text_id + dataset_id * 40503) % 2**31
    first = (mixed * 2654435761) % 2**32
    rotated = (first % 2**16) * 2**16 + first // 2**16
    return ((rotated % 2**31) * 2246822519) % 2**32


def ordered(
    dataset: Dataset,
    order: str,
    limit: int,
    skipped: Collection[int] = (),
    filters: Filters = EVERY_TEXT,
) -> Iterator[Ranked]:
    """The first `limit` texts of the queue in `order` (UNSURE or DRAWN), leaving out `skipped`,
    among those `filters` keep; asked for when the first one is wanted (the review page's one
    text needs one order only)."""
    if dataset.current_job_id is None:
        return
    head = _head(dataset, order, filters)
    left_out = set(skipped) | _corrected(dataset.id, head)
    found = [ranked for ranked in head if ranked.text_id not in left_out][:limit]
    if len(found) < limit and len(head) == HEAD:  # past the head: the whole analysis
        statement = candidates(dataset, skipped, filters)
        statement = statement.order_by(*_sorting(dataset, order)).limit(limit)
        found = [Ranked(row.text_id, row.margin) for row in db.session.execute(statement)]
    yield from found


def candidates(dataset: Dataset, skipped: Collection[int], filters: Filters = EVERY_TEXT) -> Any:
    """The current analysis's scored texts without a correction, leaving out `skipped`, among
    those `filters` keep."""
    corrected = exists().where(
        Correction.dataset_id == dataset.id, Correction.text_id == Result.text_id
    )
    statement = _scored(dataset, filters).where(~corrected)
    if skipped:
        statement = statement.where(Result.text_id.not_in(list(skipped)))
    return statement


def _scored(dataset: Dataset, filters: Filters) -> Any:
    """The current analysis's scored texts that `filters` keep (a search's or an author's
    matches read first: see `filters.searched`)."""
    filters = searched(dataset, filters)
    statement = select(Result.text_id, Result.margin).where(
        *result_conditions(dataset, filters), Result.label != NOT_SCORED
    )
    if own := on_texts(filters):
        statement = statement.join(TextRow, TextRow.id == Result.text_id).where(*own)
    return statement


def _sorting(dataset: Dataset, order: str) -> tuple[Any, ...]:
    if order == UNSURE:
        return Result.margin.asc().nulls_last(), Result.text_id
    return sample_key(dataset.id, Result.text_id), Result.text_id


def _head(dataset: Dataset, order: str, filters: Filters) -> list[Ranked]:
    """The first HEAD scored texts of the current analysis in `order` that `filters` keep,
    corrected or not. Not kept for a keyword or a search (read each time): a keyword's tags
    change when the tracked keywords do, whatever the analysis."""
    job = db.session.execute(
        select(Job.created_at, Job.done).where(Job.id == dataset.current_job_id)
    ).one()
    key = (str(db.engine.url), dataset.current_job_id, job.created_at, job.done, order, filters)
    head = _heads.get(key)
    if head is None:
        statement = _scored(dataset, filters).order_by(*_sorting(dataset, order)).limit(HEAD)
        head = [Ranked(row.text_id, row.margin) for row in db.session.execute(statement)]
        if filters.keyword or filters.picks_texts:
            return head
        if len(_heads) >= MAX_HEADS:
            _heads.clear()
        _heads[key] = head
    return head


def _corrected(dataset_id: int, head: list[Ranked]) -> set[int]:
    """The texts of `head` that have a correction now."""
    if not head:
        return set()
    return set(
        db.session.scalars(
            select(Correction.text_id).where(
                Correction.dataset_id == dataset_id,
                Correction.text_id.in_([ranked.text_id for ranked in head]),
            )
        )
    )
