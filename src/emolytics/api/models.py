"""Trained emotion models: list, train from a labeled CSV (a job), inspect, delete."""

from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.api import bp
from emolytics.api.inputs import MAX_NAME_CHARS, Refusal, clean_name, require_content_type
from emolytics.models import EmotionModel, JobKind
from emolytics.pipeline import analysis, jobs, training


def model_dict(model: EmotionModel) -> dict[str, Any]:
    """A model with its metrics and its latest training job; `ready` once trained."""
    job = training.latest_job(model.id, JobKind.TRAINING)
    return {
        "id": model.id,
        "name": model.name,
        "kind": model.kind,
        "ready": bool(model.labels),
        "labels": model.labels,
        "metrics": model.metrics,
        "training_rows": model.training_rows,
        "text_column": model.text_column,
        "label_column": model.label_column,
        "created_at": model.created_at.isoformat(),
        "job": jobs.as_dict(job) if job else None,
    }


@bp.get("/models")
def list_models() -> ResponseReturnValue:
    return {"models": [model_dict(model) for model in training.list_for(current_user.id)]}


@bp.post("/models")
def create_model() -> ResponseReturnValue:
    """Store the labeled CSV and start training it; the job says how it went."""
    require_content_type("multipart/form-data")
    model = training.create_model(
        current_user.id,
        clean_name(request.form.get("name")),
        _training_csv(),
        _column("text_column", "text"),
        _column("label_column", "label"),
    )
    jobs.start_training(model)
    return model_dict(model), 202, {"Location": url_for("api.get_model", model_id=model.id)}


def _training_csv() -> bytes:
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        raise Refusal(400, "no_file", "Send the labeled CSV as the multipart field 'file'.")
    try:
        return training.read_training_file(uploaded.stream, uploaded.filename)
    except training.TrainingFileRefused as error:
        code = "file_too_large" if error.status == 413 else "unreadable_file"
        raise Refusal(error.status, code, str(error)) from error


def _column(name: str, default: str) -> str:
    column = (request.form.get(name) or "").strip() or default
    if len(column) > MAX_NAME_CHARS:
        raise Refusal(
            400, "invalid_parameter", f"{name} is at most {MAX_NAME_CHARS} characters long."
        )
    return column


@bp.get("/models/<int:model_id>")
def get_model(model_id: int) -> ResponseReturnValue:
    return model_dict(training.owned(current_user.id, model_id))


@bp.delete("/models/<int:model_id>")
def delete_model(model_id: int) -> ResponseReturnValue:
    jobs.delete_model(training.owned(current_user.id, model_id))
    analysis.forget_analyzer(model_id)
    return "", 204
