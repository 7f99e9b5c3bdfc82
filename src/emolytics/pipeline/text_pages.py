"""The texts table and a single text: the texts the filters keep, with their results."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, select

from emolytics.extensions import db
from emolytics.pipeline.filters import (
    Filters,
    kept_counts,
    on_texts,
    result_conditions,
    sum_of,
    text_conditions,
    texts_rows,
)
from emolytics.pipeline.text_cursors import BY_RESULT, encode, keys_of, order_by, parts_after
from emolytics.tables import NOT_SCORED, Dataset, Result, TextRow

PAGE_SIZE = 50
# A text search scans texts (no index serves a substring): it counts this many matches at most,
# which takes a fraction of a full count when many texts match.
SEARCH_COUNTED = 1000
# SQLite keeps no statistics: as soon as a filter is on the results (label, keyword, language,
# corrected) it reads every result the filters keep and sorts them, 0.2-0.4 s at a million
# texts. Walking the texts newest first and looking up each one's result reads about
# (offset + size) / share of the texts at some 4 us each, against some 0.2 us per text for the
# sort: it is the cheaper while the page ends within this share of the kept texts.
WALKED_SHARE = 1 / 20


# A text with its result, as the table, the text page and the exports show it.
TEXT_COLUMNS = (
    TextRow.id,
    TextRow.line,
    TextRow.text,
    TextRow.posted_at,
    TextRow.author,
    TextRow.lat,
    TextRow.lon,
    TextRow.segment,
    Result.label,
    Result.confidence,
    Result.valence,
    Result.scores,
    Result.language,
    Result.model_label,
)


@dataclass(frozen=True)
class TextPage:
    rows: list[dict[str, Any]]
    page: int | None  # None: found after a cursor
    pages: int
    total: int
    capped: bool = False  # a text search found more than `total` (SEARCH_COUNTED) texts
    next_cursor: str | None = None  # where the next page starts (None: this is the last)


class Neighbours(NamedTuple):
    previous: int | None  # the text before in the view, by its id (None: it is the first)
    next: int | None


def texts(
    dataset: Dataset,
    filters: Filters,
    page: int = 1,
    size: int = PAGE_SIZE,
    order: str = "newest",
    cursor: list[Any] | None = None,
) -> TextPage:
    """One page of texts with their results, in one of the `ORDERS` (by default newest first,
    texts without a time last): the `page`th, or the one after `cursor` (the keys' values
    `text_cursors.decode` read), with the cursor of the next page."""
    if dataset.current_job_id is None:
        return TextPage([], 1, 1, 0)
    matches = _search_matches(dataset, filters) if filters.picks_texts else None
    if matches is None:
        total, capped = _stored_total(dataset, filters), False
    else:
        total, capped = min(len(matches), SEARCH_COUNTED), len(matches) > SEARCH_COUNTED
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    offset = 0 if cursor is not None else (page - 1) * size
    if matches is not None and not capped and cursor is None and len(matches) <= size:
        # every match is on this page: sorted alone, where walking the texts in order to find
        # them reads far more (a rare word's search, on SQLite)
        rows = db.session.execute(_with_texts(dataset, matches, order_by(order))).all()
    else:
        rows = _rows(dataset, filters, total, offset, size, order, cursor)
    found = [text_row(row) for row in rows[:size]]
    following = encode(order, found[-1]) if len(rows) > size else None
    return TextPage(found, None if cursor is not None else page, pages, total, capped, following)


def neighbours(
    dataset: Dataset, filters: Filters, text: dict[str, Any], order: str = "newest"
) -> Neighbours:
    """The texts just before and after `text` in the texts table's view (`filters`, `order`),
    found as the page after a cursor is, from `text`'s keys: the text itself may have left the
    view (corrected to another label)."""
    if dataset.current_job_id is None:
        return Neighbours(None, None)
    keys = keys_of(order, text)
    total = 0 if filters.picks_texts else _stored_total(dataset, filters)
    previous, following = (
        _rows(dataset, filters, total, 0, 1, order, keys, backwards) for backwards in (True, False)
    )
    return Neighbours(*(rows[0].id if rows else None for rows in (previous, following)))


def _rows(
    dataset: Dataset,
    filters: Filters,
    total: int,
    offset: int,
    size: int,
    order: str,
    cursor: list[Any] | None,
    backwards: bool = False,
) -> list[Any]:
    """The page's rows and the first of the next page (if any): at `offset`, or after
    `cursor` (read part by part, see `text_cursors.parts_after`; `backwards`: before it,
    nearest first)."""
    rows: list[Any] = []
    for part in [None] if cursor is None else parts_after(order, cursor, backwards):
        wanted = size + 1 - len(rows)
        rows += db.session.execute(
            _page_rows(dataset, filters, total, offset, wanted, order, part, backwards)
        ).all()
        if len(rows) > size:
            break
    return rows


def _page_rows(
    dataset: Dataset,
    filters: Filters,
    total: int,
    offset: int,
    size: int,
    order: str,
    part: ColumnElement[bool] | None,
    backwards: bool = False,
) -> Select[Any]:
    """The page's texts with their results, in `order` (within `part`, a cursor's, when
    given; `backwards`: in the opposite order): their ids sorted from every text the filters
    keep, by the results alone for a result's number (see `BY_RESULT`), or, newest first on
    SQLite, found by walking the texts (see `WALKED_SHARE`); then the texts of those ids."""
    beyond = [] if part is None else [part]
    ordered = order_by(order, backwards)
    if order in BY_RESULT:
        ids = _by_result(dataset, filters, ordered, offset, size).where(*beyond)
        return _with_texts(dataset, ids, ordered)
    walked = db.engine.dialect.name == "sqlite" and not filters.picks_texts and order == "newest"
    if not walked or offset + size > total * WALKED_SHARE:
        # the ids first: the texts skipped on the way to a deep page are read from the indexes
        kept = texts_rows((TextRow.id,), dataset, filters).where(*beyond)
        page = kept.order_by(*ordered).limit(size).offset(offset)
        return _with_texts(dataset, page, ordered)
    result = select(Result.text_id).where(Result.text_id == TextRow.id)
    result = result.where(*result_conditions(dataset, filters))
    newest = select(TextRow.id).where(*text_conditions(dataset, filters), result.exists(), *beyond)
    page = newest.order_by(*ordered).limit(size).offset(offset)
    return _with_texts(dataset, page, ordered)


def _by_result(
    dataset: Dataset,
    filters: Filters,
    ordered: list[ColumnElement[Any]],
    offset: int,
    size: int,
) -> Select[Any]:
    """The ids of a page sorted by a result's number (`ordered`: an order's `order_by`), read
    from the results (joined to their texts only for a filter on them: dates or a search)."""
    page = select(Result.text_id).where(*result_conditions(dataset, filters))
    if conditions := on_texts(filters):
        page = page.join(TextRow, TextRow.id == Result.text_id).where(*conditions)
    return page.order_by(*ordered).limit(size).offset(offset)


def _with_texts(
    dataset: Dataset, page: Select[Any] | Sequence[int], ordered: list[ColumnElement[Any]]
) -> Select[Any]:
    """The texts of the page's ids (a query's, or listed) with their results, in `ordered` (an
    order's `order_by`): the ids alone say which texts (a condition on the dataset would walk
    its texts again)."""
    found = select(*TEXT_COLUMNS).join(Result, Result.text_id == TextRow.id)
    found = found.where(Result.job_id == dataset.current_job_id, TextRow.id.in_(page))
    return found.order_by(*ordered)


def _stored_total(dataset: Dataset, filters: Filters) -> int:
    """How many texts the filters keep (no text search), from the stored counts."""
    kept = kept_counts(dataset, filters, scored_only=False)
    return db.session.scalar(select(sum_of(kept.c.texts)))


def _search_matches(dataset: Dataset, filters: Filters) -> list[int]:
    """The ids of the texts a search keeps, in no order, `SEARCH_COUNTED` + 1 at most: one scan
    of the texts, which stops there (how many match, and whether that is all)."""
    found = texts_rows((TextRow.id,), dataset, filters).limit(SEARCH_COUNTED + 1)
    return list(db.session.scalars(found))


def text(dataset: Dataset, text_id: int) -> dict[str, Any] | None:
    """One text of the dataset with its current result (None: not in this dataset)."""
    found = listed(dataset, [text_id])
    return found[0] if found else None


def listed(dataset: Dataset, text_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The texts of the dataset among `text_ids`, with their current results, in that order
    (one read)."""
    rows = db.session.execute(
        select(*TEXT_COLUMNS)
        .join(
            Result,
            and_(Result.text_id == TextRow.id, Result.job_id == dataset.current_job_id),
        )
        .where(TextRow.id.in_(text_ids), TextRow.dataset_id == dataset.id)
    ).all()
    by_id = {row.id: text_row(row) for row in rows}
    return [by_id[text_id] for text_id in text_ids if text_id in by_id]


def text_row(row: Any) -> dict[str, Any]:
    """A text as the pages, the API and the exports show it. A text the model does not read
    has no model label, confidence or valence, and `not_scored` "language" (nor a label,
    unless a member corrected it). A corrected text's `label` is the correction's,
    `model_label` the model's, and its confidence the model's score for its own label."""
    scored = model_label(row) is not None
    return {
        "id": row.id,
        "line": row.line,
        "text": row.text,
        "posted_at": row.posted_at,
        "author": row.author,
        "lat": row.lat,
        "lon": row.lon,
        "segment": row.segment,
        "language": row.language,
        "label": None if row.label == NOT_SCORED else row.label,
        "model_label": model_label(row),
        "corrected": row.model_label is not None,
        "not_scored": None if scored else "language",
        "confidence": row.confidence if scored else None,
        "valence": row.valence if scored else None,
        "scores": json.loads(row.scores),
    }


def model_label(row: Any) -> str | None:
    """The model's own label of a text's result row (None: the model did not score it)."""
    label = row.label if row.model_label is None else row.model_label
    return None if label == NOT_SCORED else label
