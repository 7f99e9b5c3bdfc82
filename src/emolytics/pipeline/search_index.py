"""PostgreSQL's trigram index over the texts: text searches that read the matching texts alone.

A text search (`ILIKE '%word%'`, see `search.contains`) reads every text of the dataset, and a
dashboard under a search counts its texts once per chart: seconds at a million texts. With
pg_trgm's GIN index over `texts.text`, PostgreSQL finds the texts holding the word's
three-letter pieces from the index and reads only those. The index is not made by the
migrations: it costs every upload time (keeping it up to date), and the space of about half the
texts. `emolytics search-index` makes it (without locking the texts), drops it, or says whether
it is there. SQLite has no such index; its searches read the texts.
"""

import threading
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from emolytics.extensions import db

INDEX = "ix_texts_text_trigrams"
PROGRESS_SECONDS = 2.0  # between progress reports while the index is built

_CREATE = f"CREATE INDEX CONCURRENTLY {INDEX} ON texts USING gin (text gin_trgm_ops)"
_STATE = text(
    "SELECT i.indisvalid, pg_relation_size(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = :name"
)
_PROGRESS = text(
    "SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total "
    "FROM pg_stat_progress_create_index "
    "WHERE relid = 'texts'::regclass AND command = 'CREATE INDEX CONCURRENTLY'"
)


class SearchIndexError(Exception):
    """The index cannot be made or dropped here; the message says why."""


class State(NamedTuple):
    present: bool  # made and valid: searches may use it
    size: int  # bytes on disk (0 when absent)


class Progress(NamedTuple):
    phase: str  # PostgreSQL's name of the build's phase
    done: int
    total: int  # 0: this phase counts nothing


def state() -> State:
    """Whether the index is there (and valid), and its size."""
    _require_postgresql()
    found = db.session.execute(_STATE, {"name": INDEX}).first()
    db.session.rollback()
    return State(bool(found and found[0]), int(found[1]) if found and found[0] else 0)


def create(on_progress: Callable[[Progress], None] | None = None) -> State:
    """Make the index (and the pg_trgm extension) unless it is there, reporting the build's
    progress every PROGRESS_SECONDS; texts may be added and read meanwhile. What a build
    broken off before left behind (an invalid index) is dropped first."""
    found = state()
    if found.present:
        return found
    drop()
    with _autocommit() as connection:
        try:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except DBAPIError as error:
            raise SearchIndexError(
                "PostgreSQL refused to add the pg_trgm extension (its package, or the right "
                f"to create extensions, is missing): {_first_line(error)}"
            ) from error
        finished = threading.Event()
        # the thread has no app context: it is handed the engine
        watcher = threading.Thread(target=_report, args=(db.engine, on_progress, finished))
        if on_progress is not None:
            watcher.start()
        try:
            connection.execute(text(_CREATE))
        except DBAPIError as error:
            raise SearchIndexError(f"The index was not made: {_first_line(error)}") from error
        finally:
            finished.set()
            if watcher.is_alive():
                watcher.join()
    return state()


def drop() -> None:
    """Drop the index if it is there (without locking the texts)."""
    _require_postgresql()
    with _autocommit() as connection:
        connection.execute(text(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}"))


def autogenerate_compares(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name`: autogenerate leaves the index out (migrations never make it,
    so it would otherwise offer to drop it)."""
    return not (type_ == "index" and name == INDEX)


def _report(
    engine: Engine, on_progress: Callable[[Progress], None], finished: threading.Event
) -> None:
    """Report the build's progress, read from its own connection, until it is `finished`."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while not finished.wait(PROGRESS_SECONDS):
            row = connection.execute(_PROGRESS).first()
            if row is not None:
                blocks = (row.blocks_done, row.blocks_total)
                tuples = (row.tuples_done, row.tuples_total)
                done, total = blocks if blocks[1] else tuples
                on_progress(Progress(row.phase, int(done or 0), int(total or 0)))


def _autocommit() -> Connection:
    return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _require_postgresql() -> None:
    if db.engine.dialect.name != "postgresql":
        raise SearchIndexError(
            "The search index is PostgreSQL's (pg_trgm): this database is "
            f"{db.engine.dialect.name}, whose searches read the texts."
        )


def _first_line(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0]
