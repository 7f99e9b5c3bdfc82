"""Trained emotion models: list, train from labeled texts (a job), inspect, rename, delete."""

from flask import request, url_for
from flask.typing import ResponseReturnValue

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.api import bp
from emolytics.api.datasets import NO_CONFIRMATION
from emolytics.api.inputs import json_body, require_content_type
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import jobs, training
from emolytics.schemas.errors import Refusal
from emolytics.schemas.files import TrainingForm
from emolytics.schemas.models import Model, Models
from emolytics.schemas.requests import NewName
from emolytics.tables import EmotionModel, Role


def model_answer(model: EmotionModel) -> Model:
    """A model with its metrics and its latest training job; `ready` once trained."""
    return Model.of(model, training.making_job(model.id))


@bp.get("/models")
@documented(
    Operation(
        "listModels",
        "Models",
        "List the team's trained models",
        replies={200: Reply("Newest first.", Models)},
        errors=(401,),
    )
)
@current_team.requires(Role.VIEWER)
def list_models() -> ResponseReturnValue:
    found = training.list_for(current_team.team_id())
    return Models(models=[model_answer(model) for model in found]).json()


@bp.post("/models")
@documented(
    Operation(
        "trainModel",
        "Models",
        "Train a model from labeled texts (CSV or Excel)",
        description="Training runs as a job (the model's `job`); `ready` turns true when it "
        "has finished. Each label needs a few rows; at most 50 MB.",
        body={"multipart/form-data": TrainingForm},
        files={
            "file": "The labeled CSV file, Excel workbook or spreadsheet (.xlsx, .xls, .ods: "
            "the sheet `sheet` names, else the first with a filled cell) or JSON (an array of "
            "objects, or JSON Lines)."
        },
        examples={"multipart/form-data": {"file": "labeled.csv", "name": "Support tickets"}},
        replies={202: Reply("The model, training.", Model, location=True)},
        errors=(400, 401, 403, 413, 415),
    )
)
@current_team.requires(Role.ANALYST)
def create_model() -> ResponseReturnValue:
    """Store the labeled file and start training on it; the job says how it went."""
    require_content_type("multipart/form-data")
    form = TrainingForm.read_args(request.form)
    columns = training.TrainingColumns(form.text_column, form.label_column, form.sheet or None)
    model = training.create_model(
        current_team.team_id(), form.name, _training_csv(columns), columns
    )
    jobs.start_training(model)
    request_audit.team_event("model.training_started", named("model", model.id, model.name))
    answer = model_answer(model).json()
    return answer, 202, {"Location": url_for("api.get_model", model_id=model.id)}


def _training_csv(columns: training.TrainingColumns) -> bytes:
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        raise Refusal(400, "no_file", "Send the labeled CSV as the multipart field 'file'.")
    try:
        return training.read_training_file(uploaded.stream, uploaded.filename, columns)
    except training.TrainingFileRefused as error:
        code = "file_too_large" if error.status == 413 else "unreadable_file"
        raise Refusal(error.status, code, str(error)) from error


@bp.get("/models/<int:model_id>")
@documented(
    Operation(
        "getModel",
        "Models",
        "A model with its metrics",
        replies={200: Reply("The model.", Model)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def get_model(model_id: int) -> ResponseReturnValue:
    return model_answer(training.owned(current_team.team_id(), model_id)).json()


@bp.patch("/models/<int:model_id>")
@documented(
    Operation(
        "renameModel",
        "Models",
        "Rename a model",
        description="The analyses made with it stay as they are: they follow its id.",
        body={"application/json": NewName},
        examples={"application/json": {"name": "Support tickets, v2"}},
        replies={200: Reply("The model.", Model)},
        errors=(400, 401, 403, 404, 415),
    )
)
@current_team.requires(Role.ANALYST)
def rename_model(model_id: int) -> ResponseReturnValue:
    model = training.owned(current_team.team_id(), model_id)
    request_audit.team_event(*training.rename(model, json_body(NewName).name))
    return model_answer(model).json()


@bp.delete("/models/<int:model_id>")
@documented(
    Operation(
        "deleteModel",
        "Models",
        "Delete a model and the analyses that used it",
        description=NO_CONFIRMATION,
        replies={204: Reply("Deleted.")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def delete_model(model_id: int) -> ResponseReturnValue:
    model = training.owned(current_team.team_id(), model_id)
    name = model.name
    jobs.delete_model(model)
    request_audit.team_event("model.deleted", named("model", model_id, name))
    return "", 204
