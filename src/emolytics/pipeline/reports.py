"""The dashboard's summary and its charts, each computed by the database from the stored counts
of the dataset's current analysis (see `filters`)."""

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, literal_column, select

from emolytics.extensions import db
from emolytics.pipeline import annotations, segments
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.pipeline.filters import Filters, kept_counts, searched, sum_of
from emolytics.pipeline.map_points import map_points
from emolytics.pipeline.periods import Comparison, compare
from emolytics.pipeline.terms import top_terms
from emolytics.tables import NOT_SCORED, Dataset


class Distribution(NamedTuple):
    counts: dict[str, int]  # per label, the texts not scored left out
    not_scored: int  # the model does not read their language: counted apart
    corrected: int  # of the scored texts, those whose label a member corrected
    geotagged: int  # of the scored texts, those with coordinates
    span: tuple[datetime | None, datetime | None]  # the scored texts' earliest and latest times


def distribution(dataset: Dataset, filters: Filters) -> Distribution:
    """The texts the filters keep per label, how many of them were not scored (every other
    number leaves them out), and of the others how many are corrected, how many have
    coordinates and the times they span, in one pass over the counts."""
    counted = kept_counts(dataset, filters, scored_only=False).c
    rows = db.session.execute(
        select(
            counted.label,
            sum_of(counted.texts).label("texts"),
            sum_of(counted.corrected).label("corrected"),
            sum_of(counted.geotagged).label("geotagged"),
            func.min(counted.first_at).label("first_at"),
            func.max(counted.last_at).label("last_at"),
        )
        .group_by(counted.label)
        .having(sum_of(counted.texts) > 0)
    ).all()
    counts = {row.label: row.texts for row in rows}
    scored = [row for row in rows if row.label != NOT_SCORED]
    firsts = [row.first_at for row in scored if row.first_at is not None]
    lasts = [row.last_at for row in scored if row.last_at is not None]
    return Distribution(
        counts,
        counts.pop(NOT_SCORED, 0),
        sum(row.corrected for row in scored),
        sum(row.geotagged for row in scored),
        (min(firsts, default=None), max(lasts, default=None)),
    )


def timeline(
    dataset: Dataset, filters: Filters, span: tuple[datetime | None, datetime | None] | None = None
) -> dict[str, Any]:
    """Counts per label per time bucket (hour, day or week, chosen from the span: the
    distribution's, or found here first, a search's few matches then read once for both)."""
    if span is None:
        filters = searched(dataset, filters)
    counted = kept_counts(dataset, filters).c
    first, last = (
        span
        or db.session.execute(select(func.min(counted.first_at), func.max(counted.last_at))).one()
    )
    if first is None or last is None:
        return {"bucket": "day", "points": []}
    bucket = _bucket_for(last - first)
    moment = _truncate(bucket, counted.hour).label("moment")
    rows = db.session.execute(
        select(moment, counted.label, sum_of(counted.texts))
        .where(counted.hour.is_not(None))
        .group_by(moment, counted.label)
        .having(sum_of(counted.texts) > 0)
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


def _iso_or_none(value: datetime | None) -> str | None:
    return None if value is None else _iso(value)


def keyword_comparison(dataset: Dataset, filters: Filters) -> list[dict[str, Any]]:
    counted = kept_counts(dataset, filters, compared=True).c
    rows = db.session.execute(
        select(counted.also, counted.label, sum_of(counted.texts))
        .group_by(counted.also, counted.label)
        .having(sum_of(counted.texts) > 0)
    )
    by_keyword: dict[str, dict[str, int]] = {keyword: {} for keyword in dataset.keywords}
    for keyword, label, count in rows:
        by_keyword.setdefault(keyword, {})[label] = count
    return [
        {"keyword": keyword, "total": sum(counts.values()), "counts": counts}
        for keyword, counts in by_keyword.items()
    ]


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
            "not_scored": 0,
            "corrected": 0,
            "distribution": [{"label": label, "count": 0} for label in labels],
            "timeline": {"bucket": "day", "points": []},
            "keywords": [],
            "segments": [],
            "terms": {},
            "map": {"points": [], "geotagged": 0, "shown": 0},
            "span": {"first": None, "last": None},
            "comparison": None,
            "annotations": _annotations(dataset),
            "filters": filters.as_args(),
        }
    filters = searched(dataset, filters)  # read once: every part counts its matches
    counts, not_scored, corrected, geotagged, span = distribution(dataset, filters)
    return {
        "dataset": _dataset_head(dataset),
        "model": model.as_dict(),
        "labels": labels,
        "analysed": sum(counts.values()),
        "not_scored": not_scored,
        "corrected": corrected,
        "distribution": [{"label": label, "count": counts.get(label, 0)} for label in labels],
        "timeline": timeline(dataset, filters, span),
        "keywords": keyword_comparison(dataset, filters),
        "segments": segments.breakdown(dataset, filters),
        "terms": _terms_for(dataset, filters),
        "map": map_points(dataset, filters, geotagged),
        "span": {"first": _iso_or_none(span[0]), "last": _iso_or_none(span[1])},
        "comparison": _compared(compare(dataset, filters, labels, span)),
        "annotations": _annotations(dataset),
        "filters": filters.as_args(),
    }


def _compared(comparison: Comparison | None) -> dict[str, Any] | None:
    """The view against the period before it, as the summary answers it."""
    if comparison is None:
        return None
    period, previous = comparison.period.as_args(), comparison.previous.as_args()
    return {
        "start": period["start"],
        "end": period["end"],
        "previous_start": previous["start"],
        "previous_end": previous["end"],
        "analysed": comparison.now,
        "previous_analysed": comparison.before,
        "labels": [
            {
                "label": change.label,
                "count": change.now,
                "previous_count": change.before,
                "change": change.change,
                "significant": change.significant,
            }
            for change in comparison.labels
        ],
    }


def _annotations(dataset: Dataset) -> list[dict[str, Any]]:
    """The dataset's annotations, for the timeline: what happened when."""
    return [
        {"id": item.annotation.id, "at": _iso(item.annotation.at), "note": item.annotation.note}
        for item in annotations.listed(dataset)
    ]


def _terms_for(dataset: Dataset, filters: Filters) -> dict[str, list[dict[str, Any]]]:
    """Top terms cover the whole analysis (they are kept per chunk, not per text); the
    emotion filter picks its own list."""
    terms = top_terms(dataset)
    return {filters.label: terms.get(filters.label, [])} if filters.label else terms


def _dataset_head(dataset: Dataset) -> dict[str, Any]:
    return {"id": dataset.id, "name": dataset.name, "row_count": dataset.row_count}
