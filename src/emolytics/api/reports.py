"""A dataset's numbers: summary and timeline, as the dashboard shows them (its texts are in
`texts`)."""

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.api import bp
from emolytics.api.inputs import filters
from emolytics.pipeline import datasets, reports


@bp.get("/datasets/<int:dataset_id>/summary")
def summary(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    return reports.summary(dataset, filters(reports.labels_of(dataset)))


@bp.get("/datasets/<int:dataset_id>/timeline")
def timeline(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    return reports.timeline(dataset, filters(reports.labels_of(dataset)))
