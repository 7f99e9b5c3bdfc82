"""Reading a dataset's texts in id order, a chunk at a time (analysis, tagging again)."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select

from emolytics.extensions import db
from emolytics.tables import TextRow


def text_chunks(
    dataset_id: int, after: int, size: int, until: int | None = None, *more: Any
) -> Iterator[list[Any]]:
    """(id, text) rows of a dataset with ids in (after, until], in id order, `size` at a time;
    with the columns `more` of TextRow after them.

    Keyset paging: each chunk starts after the last one yielded, so callers may commit (or be
    restarted from their last committed id) between chunks.
    """
    while True:
        rows = db.session.execute(chunk_statement(dataset_id, after, size, until, *more)).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


def chunk_statement(
    dataset_id: int, after: int, size: int, until: int | None = None, *more: Any
) -> Select:
    """The next chunk of `text_chunks`, read in primary key order."""
    # SQLite, without statistics, would take the dataset's rows from its posted_at index and
    # sort them all for every chunk (300,000 texts: 10 s instead of 0.2); `+ 0` leaves it the
    # primary key's order to walk.
    dataset = TextRow.dataset_id + 0 if db.engine.dialect.name == "sqlite" else TextRow.dataset_id
    statement = select(TextRow.id, TextRow.text, *more).where(
        dataset == dataset_id, TextRow.id > after
    )
    if until is not None:
        statement = statement.where(TextRow.id <= until)
    return statement.order_by(TextRow.id).limit(size)
