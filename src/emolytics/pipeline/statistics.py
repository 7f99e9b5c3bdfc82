"""PostgreSQL's planner: the statistics of freshly written tables, and how a few statements
group. Nothing to do on SQLite, which keeps no statistics."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, text

from emolytics.extensions import db


def refresh(*tables: str) -> None:
    """PostgreSQL: let the planner see freshly written rows now. Without statistics it plans
    for one row and picks nested loops that take minutes at a million rows; autovacuum may be
    off, or get there late."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {', '.join(tables)}"))
        db.session.commit()


def in_transaction(*tables: str) -> None:
    """PostgreSQL: statistics of `tables` as this transaction leaves them (its own new rows
    included), committed with it."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {', '.join(tables)}"))


def vacuum(*tables: str) -> None:
    """PostgreSQL: mark freshly written pages all-visible and refresh the planner's statistics.

    The dashboard's map and texts queries then read covering indexes alone (index-only scans
    visit the table for every page not yet marked); autovacuum may be off, or get there late.
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (ANALYZE) {', '.join(tables)}"))


@contextmanager
def grouped_by_hashing() -> Iterator[None]:
    """PostgreSQL: group by hashing, not by sorting, inside (the setting is the transaction's,
    and put back after). The planner cannot tell how many hours the texts span, so it takes
    each text for a group of its own; at a million texts it then sorted them all on disk,
    1.5 s longer than hashing them into their few groups per hour."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    before = db.session.scalar(select(func.current_setting("enable_sort")))
    db.session.execute(select(func.set_config("enable_sort", "off", True)))
    yield
    db.session.execute(select(func.set_config("enable_sort", before, True)))
