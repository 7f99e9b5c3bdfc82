"""Dashboard numbers, each computed by the database.

Every function takes the dataset and a `Filters` and reads the dataset's current analysis only:
the charts and totals sum its counts (`JobCount`, a few rows per hour of texts); the texts
table and the map read the texts themselves, through indexes.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Subquery,
    and_,
    cast,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from emolytics.extensions import db
from emolytics.models import (
    Dataset,
    JobCount,
    JobPoint,
    JobTerm,
    Result,
    TextKeyword,
    TextRow,
)
from emolytics.pipeline import counts
from emolytics.pipeline.analysed_by import analysed_by

MAP_POINTS = 5000
TERMS_SHOWN = 10
PAGE_SIZE = 50
# A text search scans texts (no index serves a substring): it counts this many matches at most,
# which takes a fraction of a full count when many texts match.
SEARCH_COUNTED = 1000


@dataclass(frozen=True)
class Filters:
    label: str | None = None
    keyword: str | None = None
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    query: str | None = None  # text search, case-insensitive

    def as_args(self) -> dict[str, str]:
        args = {
            "label": self.label,
            "keyword": self.keyword,
            "start": self.start.date().isoformat() if self.start else None,
            "end": (self.end - timedelta(days=1)).date().isoformat() if self.end else None,
            "q": self.query,
        }
        return {name: value for name, value in args.items() if value}


def labels_of(dataset: Dataset) -> list[str]:
    """The label set of the dataset's current analysis (the default's, or the model's)."""
    return analysed_by(dataset).labels


def apply_filters(statement: Select[Any], dataset: Dataset, filters: Filters) -> Select[Any]:
    """Restrict `statement` (over Result joined to TextRow) by the filters."""
    statement = statement.where(
        Result.job_id == dataset.current_job_id, TextRow.dataset_id == dataset.id
    )
    if filters.label:
        statement = statement.where(Result.label == filters.label)
    if filters.keyword:
        tagged = select(TextKeyword.text_id).where(
            TextKeyword.dataset_id == dataset.id, TextKeyword.keyword == filters.keyword
        )
        statement = statement.where(Result.text_id.in_(tagged))
    if filters.start:
        statement = statement.where(TextRow.posted_at >= filters.start)
    if filters.end:
        statement = statement.where(TextRow.posted_at < filters.end)
    if filters.query:
        statement = statement.where(_contains(TextRow.text, filters.query))
    return statement


def _contains(column: ColumnElement[str], needle: str) -> ColumnElement[bool]:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _texts_rows(columns: Sequence[Any], dataset: Dataset, filters: Filters) -> Select[Any]:
    """`columns` of the current analysis's results with their texts, kept by the filters."""
    statement = select(*columns).select_from(Result).join(TextRow, TextRow.id == Result.text_id)
    return apply_filters(statement, dataset, filters)


# --- the aggregates ----------------------------------------------------------------------------


def _counts(dataset: Dataset, filters: Filters, compared: bool = False) -> Subquery:
    """The current analysis's counts of the texts the filters keep, per label and hour; with
    `compared`, per keyword they also mention (the keyword comparison).

    The stored counts, or for a text search the matching texts counted now. Dates are whole
    days and counts whole hours, so the date filters keep whole rows.
    """
    if filters.query:
        matching = _contains(TextRow.text, filters.query)
        source = union_all(*counts.groups(dataset.current_job_id, dataset.id, matching))
        columns = source.subquery("searched").c
    else:
        columns = JobCount.__table__.c
    keyword = filters.keyword or ""
    kept = [columns.job_id == dataset.current_job_id]
    if not compared:
        kept += [columns.keyword == "", columns.also == keyword]
    elif keyword:  # the texts mentioning it, and those mentioning it and another one
        kept.append(
            or_(columns.keyword == keyword, and_(columns.keyword == "", columns.also == keyword))
        )
    else:
        kept += [columns.keyword == "", columns.also != ""]
    kept += _label_and_dates(columns.label, columns.hour, filters)
    return select(*columns).where(*kept).subquery("counted")


def _label_and_dates(
    label: ColumnElement[str], moment: ColumnElement[Any], filters: Filters
) -> list[ColumnElement[bool]]:
    """The conditions of the emotion and date filters, over `label` and `moment`."""
    kept = []
    if filters.label:
        kept.append(label == filters.label)
    if filters.start:
        kept.append(moment >= filters.start)
    if filters.end:
        kept.append(moment < filters.end)
    return kept


def _total(column: ColumnElement[int]) -> ColumnElement[int]:
    """The sum of `column` as an integer (0 for no rows)."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def distribution(dataset: Dataset, filters: Filters) -> dict[str, int]:
    counted = _counts(dataset, filters).c
    rows = db.session.execute(select(counted.label, _total(counted.texts)).group_by(counted.label))
    return {label: count for label, count in rows}


def timeline(dataset: Dataset, filters: Filters) -> dict[str, Any]:
    """Counts per label per time bucket (hour, day or week, chosen from the span)."""
    counted = _counts(dataset, filters).c
    first, last = db.session.execute(
        select(func.min(counted.first_at), func.max(counted.last_at))
    ).one()
    if first is None or last is None:
        return {"bucket": "day", "points": []}
    bucket = _bucket_for(last - first)
    moment = _truncate(bucket, counted.hour).label("moment")
    rows = db.session.execute(
        select(moment, counted.label, _total(counted.texts))
        .where(counted.hour.is_not(None))
        .group_by(moment, counted.label)
        .order_by(moment)
    )
    points: dict[str, dict[str, int]] = {}
    for when, label, count in rows:
        points.setdefault(_iso(when), {})[label] = count
    return {"bucket": bucket, "points": [{"t": t, "counts": c} for t, c in points.items()]}


def _bucket_for(span: timedelta) -> str:
    if span <= timedelta(days=3):
        return "hour"
    if span <= timedelta(days=120):
        return "day"
    return "week"


def _truncate(bucket: str, hour: ColumnElement[Any]) -> ColumnElement[Any]:
    """An hour of the counts truncated to the bucket, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.date_trunc(bucket, func.timezone("UTC", hour))
    formats = {"hour": "%Y-%m-%dT%H:00:00", "day": "%Y-%m-%dT00:00:00"}
    if bucket == "week":  # SQLite: back to the Monday of the week
        monday = func.date(hour, literal_column("'weekday 0'"), "-6 days")
        return func.strftime("%Y-%m-%dT00:00:00", monday)
    return func.strftime(formats[bucket], hour)


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value}Z"


def keyword_comparison(dataset: Dataset, filters: Filters) -> list[dict[str, Any]]:
    counted = _counts(dataset, filters, compared=True).c
    rows = db.session.execute(
        select(counted.also, counted.label, _total(counted.texts)).group_by(
            counted.also, counted.label
        )
    )
    by_keyword: dict[str, dict[str, int]] = {keyword: {} for keyword in dataset.keywords}
    for keyword, label, count in rows:
        by_keyword.setdefault(keyword, {})[label] = count
    return [
        {"keyword": keyword, "total": sum(counts.values()), "counts": counts}
        for keyword, counts in by_keyword.items()
    ]


def top_terms(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """The words and emoji that pushed texts most towards each label (the whole analysis)."""
    total = func.sum(JobTerm.weight).label("total")
    rank = (
        func.row_number()
        .over(partition_by=JobTerm.label, order_by=func.sum(JobTerm.weight).desc())
        .label("rank")
    )
    ranked = (
        select(JobTerm.label, JobTerm.term, total, func.sum(JobTerm.texts).label("texts"), rank)
        .where(JobTerm.job_id == dataset.current_job_id)
        .group_by(JobTerm.label, JobTerm.term)
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.label, ranked.c.term, ranked.c.total, ranked.c.texts)
        .where(ranked.c.rank <= TERMS_SHOWN)
        .order_by(ranked.c.label, ranked.c.rank)
    )
    terms: dict[str, list[dict[str, Any]]] = {}
    for label, term, weight, texts in rows:
        terms.setdefault(label, []).append(
            {"term": term, "weight": round(float(weight), 3), "texts": texts}
        )
    return terms


def map_points(dataset: Dataset, filters: Filters) -> dict[str, Any]:
    """How many texts the filters keep have coordinates, and the newest MAP_POINTS of them."""
    counted = _counts(dataset, filters).c
    geotagged = db.session.scalar(select(_total(counted.geotagged)))
    if filters.query:  # the texts matching a search are found among the texts themselves
        statement = (
            _texts_rows((TextRow.lat, TextRow.lon, Result.label, TextRow.id), dataset, filters)
            .where(TextRow.lat.is_not(None))
            .order_by(TextRow.posted_at.desc().nulls_last(), TextRow.id.desc())
        )
    else:
        statement = _kept_points(dataset, filters).order_by(
            JobPoint.posted_at.desc().nulls_last(), JobPoint.text_id.desc()
        )
    rows = db.session.execute(statement.limit(MAP_POINTS)).all()
    # The text's id opens its popup: the text itself is fetched on a click, not for every point.
    points = [[round(lat, 5), round(lon, 5), label, id_] for lat, lon, label, id_ in rows]
    return {"points": points, "geotagged": geotagged, "shown": len(points)}


def _kept_points(dataset: Dataset, filters: Filters) -> Select[Any]:
    """The current analysis's points the filters keep (all but a text search)."""
    return select(JobPoint.lat, JobPoint.lon, JobPoint.label, JobPoint.text_id).where(
        JobPoint.job_id == dataset.current_job_id,
        JobPoint.keyword == (filters.keyword or ""),
        *_label_and_dates(JobPoint.label, JobPoint.posted_at, filters),
    )


def summary(dataset: Dataset, filters: Filters) -> dict[str, Any]:
    model = analysed_by(dataset)
    labels = model.labels
    if dataset.current_job_id is None:
        counts: dict[str, int] = {}
        return {
            "dataset": _dataset_head(dataset),
            "model": model.as_dict(),
            "labels": labels,
            "analysed": 0,
            "distribution": [{"label": label, "count": 0} for label in labels],
            "timeline": {"bucket": "day", "points": []},
            "keywords": [],
            "terms": {},
            "map": {"points": [], "geotagged": 0, "shown": 0},
            "filters": filters.as_args(),
        }
    counts = distribution(dataset, filters)
    return {
        "dataset": _dataset_head(dataset),
        "model": model.as_dict(),
        "labels": labels,
        "analysed": sum(counts.values()),
        "distribution": [{"label": label, "count": counts.get(label, 0)} for label in labels],
        "timeline": timeline(dataset, filters),
        "keywords": keyword_comparison(dataset, filters),
        "terms": _terms_for(dataset, filters),
        "map": map_points(dataset, filters),
        "filters": filters.as_args(),
    }


def _terms_for(dataset: Dataset, filters: Filters) -> dict[str, list[dict[str, Any]]]:
    """Top terms cover the whole analysis (they are summed per chunk, not per text); the
    emotion filter picks its own list."""
    terms = top_terms(dataset)
    return {filters.label: terms.get(filters.label, [])} if filters.label else terms


def _dataset_head(dataset: Dataset) -> dict[str, Any]:
    return {"id": dataset.id, "name": dataset.name, "row_count": dataset.row_count}


# --- the texts table ---------------------------------------------------------------------------


# A text with its result, as the table, the text page and the exports show it.
TEXT_COLUMNS = (
    TextRow.id,
    TextRow.line,
    TextRow.text,
    TextRow.posted_at,
    TextRow.author,
    TextRow.lat,
    TextRow.lon,
    Result.label,
    Result.confidence,
    Result.valence,
    Result.scores,
)


@dataclass(frozen=True)
class TextPage:
    rows: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    capped: bool = False  # a text search found more than `total` (SEARCH_COUNTED) texts


def texts(dataset: Dataset, filters: Filters, page: int = 1, size: int = PAGE_SIZE) -> TextPage:
    """One page of texts with their results, newest first (texts without a time last)."""
    if dataset.current_job_id is None:
        return TextPage([], 1, 1, 0)
    total, capped = _texts_total(dataset, filters)
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        _texts_rows(TEXT_COLUMNS, dataset, filters)
        .order_by(TextRow.posted_at.desc().nulls_last(), TextRow.id)
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return TextPage([_text_row(row) for row in rows], page, pages, total, capped)


def _texts_total(dataset: Dataset, filters: Filters) -> tuple[int, bool]:
    """How many texts the filters keep, and whether a text search stopped counting."""
    if not filters.query:
        return db.session.scalar(select(_total(_counts(dataset, filters).c.texts))), False
    found = _texts_rows((Result.text_id,), dataset, filters).limit(SEARCH_COUNTED + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(found))
    return min(total, SEARCH_COUNTED), total > SEARCH_COUNTED


def text(dataset: Dataset, text_id: int) -> dict[str, Any] | None:
    """One text of the dataset with its current result (None: not in this dataset)."""
    row = db.session.execute(
        select(*TEXT_COLUMNS)
        .join(
            Result,
            and_(Result.text_id == TextRow.id, Result.job_id == dataset.current_job_id),
        )
        .where(TextRow.id == text_id, TextRow.dataset_id == dataset.id)
    ).first()
    return None if row is None else _text_row(row)


def _text_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "line": row.line,
        "text": row.text,
        "posted_at": row.posted_at,
        "author": row.author,
        "lat": row.lat,
        "lon": row.lon,
        "label": row.label,
        "confidence": row.confidence,
        "valence": row.valence,
        "scores": json.loads(row.scores),
    }
