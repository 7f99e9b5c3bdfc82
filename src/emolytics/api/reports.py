"""A dataset's numbers: summary, timeline and the filtered texts, as the dashboard shows them."""

from typing import Any

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.api import bp
from emolytics.api.inputs import filters, int_arg
from emolytics.pipeline import datasets, reports, text_pages
from emolytics.pipeline.filters import labels_of

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


@bp.get("/datasets/<int:dataset_id>/summary")
def summary(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    return reports.summary(dataset, filters(labels_of(dataset)))


@bp.get("/datasets/<int:dataset_id>/timeline")
def timeline(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    return reports.timeline(dataset, filters(labels_of(dataset)))


@bp.get("/datasets/<int:dataset_id>/texts")
def texts(dataset_id: int) -> ResponseReturnValue:
    """One page of analysed texts, newest first, with their labels and scores."""
    dataset = datasets.owned(current_user.id, dataset_id)
    chosen = filters(labels_of(dataset))
    per_page = int_arg("per_page", text_pages.PAGE_SIZE, MAX_PER_PAGE)
    page = text_pages.texts(dataset, chosen, int_arg("page", 1, MAX_PAGE), per_page)
    return {
        "texts": [_text_dict(row) for row in page.rows],
        "page": page.page,
        "pages": page.pages,
        "per_page": per_page,
        "total": page.total,
        "capped": page.capped,
        "filters": chosen.as_args(),
    }


def _text_dict(row: dict[str, Any]) -> dict[str, Any]:
    posted_at = row["posted_at"]
    return {**row, "posted_at": posted_at.isoformat() if posted_at else None}
