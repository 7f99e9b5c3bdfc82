"""A dataset's annotations (`/datasets/<id>/annotations`): dated notes on its timeline, shared
in the team."""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team, request_audit
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import annotations, datasets
from emolytics.schemas.annotations import AnnotationAnswer, AnnotationBody, Annotations
from emolytics.schemas.errors import Refusal
from emolytics.tables import Role


@bp.get("/datasets/<int:dataset_id>/annotations")
@documented(
    Operation(
        "listAnnotations",
        "Annotations",
        "The dataset's annotations",
        replies={200: Reply("Earliest first.", Annotations)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_annotations(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    found = annotations.listed(dataset)
    return Annotations(annotations=[AnnotationAnswer.of(item) for item in found]).json()


@bp.post("/datasets/<int:dataset_id>/annotations")
@documented(
    Operation(
        "addAnnotation",
        "Annotations",
        "Note what happened when",
        description="Drawn on the dashboard's timeline. A dataset keeps "
        f"{annotations.MAX_ANNOTATIONS} annotations at most (422, `annotation_refused`).",
        body={"application/json": AnnotationBody},
        examples={"application/json": {"at": "2026-02-22T06:00:00Z", "note": "New timetable"}},
        replies={201: Reply("The annotation.", AnnotationAnswer, location=True)},
        errors=(400, 401, 403, 404, 415, 422),
    )
)
@current_team.requires(Role.ANALYST)
def add_annotation(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    body = json_body(AnnotationBody)
    try:
        annotation = annotations.add(dataset, body.at, body.note, current_user.id)
    except annotations.AnnotationRefused as error:
        raise Refusal(422, "annotation_refused", str(error)) from error
    request_audit.team_event("annotation.added", annotations.described_annotation(annotation))
    answer = AnnotationAnswer.of(annotations.Listed(annotation, current_user.username))
    location = url_for("api.list_annotations", dataset_id=dataset_id)
    return answer.json(), 201, {"Location": location}


@bp.delete("/datasets/<int:dataset_id>/annotations/<int:annotation_id>")
@documented(
    Operation(
        "deleteAnnotation",
        "Annotations",
        "Delete an annotation",
        replies={204: Reply("Deleted.")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def delete_annotation(dataset_id: int, annotation_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    request_audit.team_event("annotation.deleted", annotations.delete(dataset, annotation_id))
    return "", 204
