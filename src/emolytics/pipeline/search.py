"""A text search ("Search", `q=`; what it asks for: `search_syntax`): its condition over the
texts, and the ids of the texts it matches, read once for the reports that each count them (see
`filters.searched`).

A search is a condition every statement evaluates over every text of the dataset (pg_trgm's
index, when made, finds them quicker: `search_index`), and the dashboard's summary has several
statements. The ids of its matches, read once, let each statement look its texts up by primary
key instead, which pays while they are few: on PostgreSQL, whose scans are quick (in
parallel), a text looked up costs what reading about a hundred in order does (10 microseconds
against 0.1); on SQLite, which reads a search's texts through the analysis's results, ids
are still quicker for a word in 3.4 % of a million texts (1.1 s against 2.5 for the summary;
`bench/pipeline`). So ids are read for a search that matches at most 1 text in
`LOOKUP_COST[dialect]`, and `MATCHES_READ` at most (the list is one parameter of every
statement). Whether a search is that rare is guessed first from the analysis's first `SAMPLED`
texts (a few milliseconds), so a common word's search does not read its matches only to find
them too many. An author filter (`author=`) picks texts the same way, alone or with a search.
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    cast,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)

from emolytics.extensions import db
from emolytics.pipeline import search_syntax
from emolytics.tables import Dataset, Result, TextRow

LOOKUP_COST = {"postgresql": 100, "sqlite": 20}
MATCHES_READ = 50_000
SAMPLED = 10_000


def contains(column: ColumnElement[str], needle: str) -> ColumnElement[bool]:
    """Whether `column` holds `needle`, whatever its case: ILIKE on PostgreSQL; on SQLite its
    LIKE, which already ignores case, but only ASCII's (as its lower() does: SQLAlchemy's
    ILIKE there, lower() on both sides, gives the same texts at twice the cost a text), so a
    needle beyond ASCII ("über") is looked for by `holds_folded` (Python's case folding, about
    five times LIKE's cost a text; see `extensions.tune_sqlite`)."""
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite and not needle.isascii():
        return func.holds_folded(column, needle.casefold()).is_(True)
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if sqlite:
        return column.like(f"%{escaped}%", escape="\\")
    return column.ilike(f"%{escaped}%", escape="\\")


def holds(column: ColumnElement[str], query: str) -> ColumnElement[bool]:
    """Whether `column` is a text the search `query` finds: one of each group of alternatives
    it asks for, none of what it excludes (every text, for a query that asks for nothing)."""
    search = search_syntax.parse(query)
    if search is None:
        return true()
    kept = [or_(*(contains(column, term) for term in group)) for group in search.required]
    kept += [not_(contains(column, term)) for term in search.excluded]
    return and_(*kept)


def picked(query: str | None, author: str | None) -> ColumnElement[bool]:
    """The condition over TextRow of the texts that the search `query` finds and are by
    `author` (each when given)."""
    kept = [] if query is None else [holds(TextRow.text, query)]
    if author is not None:
        kept.append(TextRow.author == author)
    return and_(true(), *kept)


def matching(dataset: Dataset, query: str | None, author: str | None = None) -> list[int] | None:
    """The ids of the texts of the dataset's current analysis that the search `query` finds
    and are by `author` (each when given), in no order; None when they are too many to look
    up (see above: the read stops there). An author's texts are few, so no sample guesses
    first."""
    if query is not None and author is None and _common(dataset, query):
        return None
    most = min(MATCHES_READ, dataset.row_count // LOOKUP_COST[db.engine.dialect.name])
    found = _analysed(dataset).where(picked(query, author)).limit(most + 1)
    ids = list(db.session.scalars(found))
    return None if len(ids) > most else ids


def _common(dataset: Dataset, query: str) -> bool:
    """Whether the search `query` finds more than 1 in `LOOKUP_COST` of the analysis's first
    `SAMPLED` texts (too many to look up)."""
    first = _analysed(dataset).add_columns(TextRow.text).order_by(Result.text_id)
    first = first.limit(SAMPLED).subquery()
    read, held = db.session.execute(
        select(func.count(), func.count().filter(holds(first.c.text, query)))
    ).one()
    return held * LOOKUP_COST[db.engine.dialect.name] > read


def _analysed(dataset: Dataset) -> Select[Any]:
    """The ids of the texts of the dataset's current analysis, walked in the order of their
    results (the texts' on disk; on SQLite the dataset's own index walks them by date, eight
    times slower)."""
    return (
        select(TextRow.id)
        .join(Result, Result.text_id == TextRow.id)
        .where(Result.job_id == dataset.current_job_id)
    )


def listed(ids: Sequence[int]) -> Select[Any]:
    """A statement selecting `ids`, given as one parameter (an array on PostgreSQL, JSON on
    SQLite) where a list of parameters would grow the statement with the list."""
    if db.engine.dialect.name == "postgresql":
        return select(func.unnest(cast(literal(list(ids), ARRAY(BigInteger)), ARRAY(BigInteger))))
    elements = func.json_each(json.dumps(list(ids))).table_valued("value")
    return select(elements.c.value)
