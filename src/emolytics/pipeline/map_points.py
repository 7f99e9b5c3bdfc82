"""The map: where the texts the filters keep were written."""

from typing import Any

from sqlalchemy import Select, select

from emolytics.extensions import db
from emolytics.pipeline.filters import (
    Filters,
    corrected_ids,
    counted_now,
    kept_counts,
    label_and_dates,
    sum_of,
    texts_rows,
)
from emolytics.tables import NOT_SCORED, Dataset, JobPoint, Result, TextRow

MAP_POINTS = 5000


def map_points(dataset: Dataset, filters: Filters, geotagged: int | None = None) -> dict[str, Any]:
    """How many texts the filters keep have coordinates (`geotagged` when known), and the
    newest MAP_POINTS of them."""
    if geotagged is None:
        counted = kept_counts(dataset, filters).c
        geotagged = db.session.scalar(select(sum_of(counted.geotagged)))
    if counted_now(dataset, filters):  # the texts of a search are found among the texts
        statement = (
            texts_rows((TextRow.lat, TextRow.lon, Result.label, TextRow.id), dataset, filters)
            .where(TextRow.lat.is_not(None), Result.label != NOT_SCORED)
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
    """The current analysis's points the filters keep (unless they are counted now)."""
    statement = select(JobPoint.lat, JobPoint.lon, JobPoint.label, JobPoint.text_id).where(
        JobPoint.job_id == dataset.current_job_id,
        JobPoint.keyword == (filters.keyword or ""),
        *label_and_dates(JobPoint.label, JobPoint.posted_at, filters),
    )
    if filters.language:
        statement = statement.where(JobPoint.language == filters.language)
    if filters.segment:
        statement = statement.where(JobPoint.segment == filters.segment)
    if filters.corrected == "false":
        statement = statement.where(JobPoint.text_id.not_in(corrected_ids(dataset)))
    return statement
