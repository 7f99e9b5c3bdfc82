"""The top terms of the dashboard's view, fetched once its summary is shown: a filtered view's
are explained from a sample of its texts when asked, which takes longer than the summary's
counts (`view_terms`)."""

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team
from emolytics.pipeline import datasets, view_terms
from emolytics.pipeline.filters import Filters, labels_of
from emolytics.tables import Role
from emolytics.web.datasets import bp, filtering


def terms_url(dataset_id: int, filters: Filters) -> str | None:
    """The address of the view's top terms for the dashboard, when they are not the summary's
    (the filters narrow the texts by more than their label)."""
    if not view_terms.narrowed(filters):
        return None
    return url_for("datasets.terms", dataset_id=dataset_id, **filters.as_args())


@bp.get("/<int:dataset_id>/terms.json")
@login_required
@current_team.requires(Role.VIEWER)
def terms(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    return jsonify(view_terms.of_view(dataset, filtering.read(labels_of(dataset)))._asdict())
