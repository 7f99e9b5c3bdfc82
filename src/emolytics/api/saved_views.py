"""A dataset's saved views (`/datasets/<id>/views`): the dashboard's filters under a name, shared
in the team."""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team, request_audit
from emolytics.api import bp
from emolytics.api.inputs import filters, json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, saved_views
from emolytics.pipeline.filters import labels_of
from emolytics.schemas.errors import Refusal
from emolytics.schemas.filters import FilterQuery
from emolytics.schemas.requests import NewName
from emolytics.schemas.saved_views import SavedViewAnswer, SavedViews
from emolytics.tables import Role


@bp.get("/datasets/<int:dataset_id>/views")
@documented(
    Operation(
        "listSavedViews",
        "Saved views",
        "The dataset's saved views",
        replies={200: Reply("By name.", SavedViews)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_saved_views(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    views = saved_views.listed(dataset)
    return SavedViews(views=[SavedViewAnswer.of(item) for item in views]).json()


@bp.post("/datasets/<int:dataset_id>/views")
@documented(
    Operation(
        "saveView",
        "Saved views",
        "Save the filters in the query under a name",
        description="The filters are the summary's query parameters (at least one); the name "
        f"is unique in the dataset whatever its case, and a dataset keeps "
        f"{saved_views.MAX_VIEWS} views at most (422, `view_refused`).",
        query=(FilterQuery,),
        body={"application/json": NewName},
        examples={"application/json": {"name": "Anger about delays, March"}},
        replies={201: Reply("The saved view.", SavedViewAnswer, location=True)},
        errors=(400, 401, 403, 404, 415, 422),
    )
)
@current_team.requires(Role.ANALYST)
def save_view(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    chosen = filters(labels_of(dataset))
    name = json_body(NewName).name
    try:
        view = saved_views.save(dataset, name, chosen, current_user.id)
    except saved_views.ViewRefused as error:
        raise Refusal(422, "view_refused", str(error)) from error
    request_audit.team_event("view.saved", saved_views.described_view(view))
    answer = SavedViewAnswer.of(saved_views.Listed(view, chosen.as_args(), current_user.username))
    location = url_for("api.list_saved_views", dataset_id=dataset_id)
    return answer.json(), 201, {"Location": location}


@bp.delete("/datasets/<int:dataset_id>/views/<int:view_id>")
@documented(
    Operation(
        "deleteSavedView",
        "Saved views",
        "Delete a saved view",
        replies={204: Reply("Deleted (the dataset and its results stay).")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def delete_saved_view(dataset_id: int, view_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    request_audit.team_event("view.deleted", saved_views.delete(dataset, view_id))
    return "", 204
