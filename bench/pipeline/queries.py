"""The dashboard's queries timed in this process, straight against the database, each SQL
statement recorded, and the slowest ones explained by the database itself."""

import functools
import math
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from corpus import END, FEW_WORD, FILTER_KEYWORD, RARE_WORD, SEARCH_WORD

EXPLAINED = 3  # slowest statements explained
STATEMENT_TIMEOUT = 30  # seconds, PostgreSQL only
DEEP_PAGE = 10_000  # a page 500,000 texts down (50 a page): by its number, and after a cursor
# the author filter: a regular's texts (about 1,200 of a million) and the heaviest poster's (52,000)
AUTHOR, HEAVY = "user100", "user0"


@dataclass
class Statement:
    sql: str
    parameters: Any
    seconds: float  # inf: it failed (statement timeout)
    query: str  # the dashboard query it belongs to


@dataclass
class Timings:
    """Seconds per run of each query; a query that fails is not run again."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def run(self, name: str, once: Callable[[], float], repeat: int) -> None:
        self.seconds[name] = []
        for _ in range(repeat):
            try:
                self.seconds[name].append(once())
            except Exception as error:  # a timeout or an error page: noted, not repeated
                self.failed[name] = _reason(error)
                return

    def shown(self, name: str) -> str:
        if name in self.failed:
            return self.failed[name]
        values = self.seconds.get(name)
        if not values:
            return "-"
        return f"{statistics.median(values) * 1000:.0f} / {max(values) * 1000:.0f}"


@dataclass
class DirectTimings(Timings):
    statements: list[Statement] = field(default_factory=list)
    plans: list[tuple[Statement, str]] = field(default_factory=list)


def _reason(error: Exception) -> str:
    text = str(error).lower()
    if "timeout" in text or "timed out" in text or "canceling statement" in text:
        return "TIMEOUT"
    return f"ERROR {str(error)[:24] or type(error).__name__}"


def filtered() -> dict[str, Any]:
    """The filter the benchmark applies: a keyword, a label and the month before the last."""
    start = datetime(END.year, END.month - 2, 1, tzinfo=UTC)
    end = datetime(END.year, END.month - 1, 1, tzinfo=UTC)  # exclusive
    return {"label": "joy", "keyword": FILTER_KEYWORD, "start": start, "end": end}


def filtered_args() -> str:
    """The same filter as query arguments (the page's end date is inclusive)."""
    values = filtered()
    last_day = values["end"] - timedelta(days=1)
    return (
        f"label={values['label']}&keyword={values['keyword']}"
        f"&start={values['start'].date().isoformat()}&end={last_day.date().isoformat()}"
    )


def measure(env: dict[str, str], dataset_id: int, repeat: int) -> DirectTimings:
    """Run each dashboard query `repeat` times with the app's own code, in `env`.

    On PostgreSQL each statement may take STATEMENT_TIMEOUT at most (a bad plan at 1M rows can
    take hours); the slowest statements are then explained, with ANALYZE when they finished.
    """
    overrides = {}
    if env.get("DATABASE_URL", "").startswith("postgresql"):
        options = f"-c statement_timeout={STATEMENT_TIMEOUT * 1000}"
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": options}}
    with mock.patch.dict(os.environ, env, clear=True):
        from emolytics.app import create_app

        app = create_app(overrides)
    timings = DirectTimings()
    with app.app_context():
        from emolytics.extensions import db

        for name, run in _queries(dataset_id).items():
            with _recording(db.engine, timings, name):
                timings.run(name, lambda run=run: _timed(run), repeat)
            db.session.rollback()
        timings.plans = _explain(db.engine, timings.statements)
        db.engine.dispose()
    return timings


def analyze_tables(env: dict[str, str]) -> float:
    """ANALYZE the tables a bulk load fills (what the proposed change does); seconds taken."""
    import psycopg

    url = env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE texts, text_keywords, results, job_terms")
    return time.perf_counter() - started


def _queries(dataset_id: int) -> dict[str, Callable[[], Any]]:
    from emolytics.extensions import db
    from emolytics.pipeline import (
        map_points,
        mixes,
        periods,
        reports,
        review,
        text_cursors,
        text_pages,
        view_terms,
    )
    from emolytics.pipeline.filters import Filters, labels_of
    from emolytics.tables import Dataset

    def dataset() -> Dataset:
        db.session.expire_all()
        return db.session.get(Dataset, dataset_id)

    everything, some = Filters(), Filters(**filtered())

    @functools.cache
    def deep_cursor() -> list[Any]:
        """Where the page before DEEP_PAGE ends (found once, with its offset)."""
        before = text_pages.texts(dataset(), everything, DEEP_PAGE - 1)
        return text_cursors.decode("newest", before.next_cursor)

    @functools.cache
    def deep_text() -> dict[str, Any]:
        """The first text of page DEEP_PAGE, newest first: a text page opened that deep."""
        return text_pages.texts(dataset(), everything, cursor=deep_cursor()).rows[0]

    search = Filters(query=SEARCH_WORD)
    # either word, and not the one no text has: a search engine's query (`search_syntax`)
    either = Filters(query=f"{SEARCH_WORD} OR {FEW_WORD} -{RARE_WORD}")
    uncorrected, english = Filters(corrected="false"), Filters(language="en")
    month = replace(some, label=None)  # an alert's or a digest's words: a period, the one before
    month_before = replace(month, start=month.start - (month.end - month.start), end=month.start)
    return {
        "home": lambda: mixes.read(dataset().team_id),
        "summary": lambda: reports.summary(dataset(), everything),
        "  distribution": lambda: reports.distribution(dataset(), everything),
        "  timeline": lambda: reports.timeline(dataset(), everything),
        "  keywords": lambda: reports.keyword_comparison(dataset(), everything),
        "  terms": lambda: reports.top_terms(dataset()),
        "  map": lambda: map_points.map_points(dataset(), everything),
        "summary filtered": lambda: reports.summary(dataset(), some),
        "  timeline filtered": lambda: reports.timeline(dataset(), some),
        "  period before": lambda: periods.compare(
            dataset(), some, labels_of(dataset()), (None, None)
        ),
        "terms filtered": lambda: view_terms.sampled(dataset(), replace(some, label=None)),
        "  words that rose": lambda: view_terms.rose(dataset(), month, month_before),
        "terms language": lambda: view_terms.sampled(dataset(), english),
        "terms q=": lambda: view_terms.sampled(dataset(), search),
        "summary q=": lambda: reports.summary(dataset(), search),
        "summary q= few": lambda: reports.summary(dataset(), Filters(query=FEW_WORD)),
        "summary q= A OR B -C": lambda: reports.summary(dataset(), either),
        "summary author=": lambda: reports.summary(dataset(), Filters(author=AUTHOR)),
        "summary author= heavy": lambda: reports.summary(dataset(), Filters(author=HEAVY)),
        "texts author=": lambda: text_pages.texts(dataset(), Filters(author=AUTHOR)),
        "texts q=": lambda: text_pages.texts(dataset(), search),
        "texts q= rare": lambda: text_pages.texts(dataset(), Filters(query=RARE_WORD)),
        "texts q= A OR B -C": lambda: text_pages.texts(dataset(), either),
        "texts page 1": lambda: text_pages.texts(dataset(), everything),
        "review": lambda: review.overview(dataset(), 1),
        "summary uncorrected": lambda: reports.summary(dataset(), uncorrected),
        "texts uncorrected": lambda: text_pages.texts(dataset(), uncorrected),
        "summary language": lambda: reports.summary(dataset(), english),
        "texts negative": lambda: text_pages.texts(dataset(), everything, order="negative"),
        f"texts page {DEEP_PAGE:,}": lambda: text_pages.texts(dataset(), everything, DEEP_PAGE),
        "  the same after a cursor": lambda: text_pages.texts(
            dataset(), everything, cursor=deep_cursor()
        ),
        "  text neighbours": lambda: text_pages.neighbours(dataset(), everything, deep_text()),
        "  filtered": lambda: text_pages.neighbours(dataset(), some, deep_text()),
        "  negative": lambda: text_pages.neighbours(dataset(), everything, deep_text(), "negative"),
        "  q=": lambda: text_pages.neighbours(dataset(), search, deep_text()),
    }


def _timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


@contextmanager
def _recording(engine: Any, timings: DirectTimings, query: str) -> Iterator[None]:
    from sqlalchemy import event

    started: list[float] = []

    def before(conn: Any, cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        started.append(time.perf_counter())
        timings.statements.append(Statement(sql, parameters, math.inf, query.strip()))

    def after(conn: Any, cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        timings.statements[-1].seconds = time.perf_counter() - started.pop()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _explain(engine: Any, statements: list[Statement]) -> list[tuple[Statement, str]]:
    """The database's plan of the slowest distinct statements (ANALYZE on PostgreSQL)."""
    slowest: dict[str, Statement] = {}
    for statement in statements:
        known = slowest.get(statement.sql)
        if known is None or statement.seconds > known.seconds:
            slowest[statement.sql] = statement
    ranked = sorted(slowest.values(), key=lambda item: item.seconds, reverse=True)[:EXPLAINED]
    postgres = engine.dialect.name == "postgresql"
    plans = []
    for statement in ranked:
        if not postgres:
            prefix = "EXPLAIN QUERY PLAN "
        elif math.isinf(statement.seconds):  # it did not finish: the plan alone
            prefix = "EXPLAIN "
        else:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) "
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(prefix + statement.sql, statement.parameters).all()
        lines = [str(row[0]) if postgres else " | ".join(map(str, row)) for row in rows]
        plans.append((statement, prefix.strip() + "\n" + "\n".join(lines)))
    return plans
