"""`POST /analyze`: emotions of up to 1,000 texts at once, nothing stored."""

from typing import Any

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.api import bp
from emolytics.api.inputs import (
    Refusal,
    check_batch_size,
    json_object,
    model_id_field,
    refuse_items,
)
from emolytics.engine import EmotionResult
from emolytics.models import EmotionModel
from emolytics.pipeline import analysis, training
from emolytics.pipeline.ingest import text_problem

MAX_TEXTS = 1000


@bp.post("/analyze")
def analyze() -> ResponseReturnValue:
    body = json_object({"texts", "explain", "model_id"})
    texts = _texts(body.get("texts"))
    explain = body.get("explain", False)
    if not isinstance(explain, bool):
        raise Refusal(400, "invalid_explain", "explain is true or false.")
    model_id = model_id_field(body.get("model_id"))
    if model_id is not None:
        trained_model(model_id)
    results = analysis.analyzer_for(model_id).analyze(texts, explain=explain)
    return {"results": [result_dict(result, explain) for result in results]}


def _texts(value: Any) -> list[str]:
    """A JSON array of 1 to MAX_TEXTS usable texts; Refusal listing every bad one by index."""
    if not isinstance(value, list):
        raise Refusal(400, "invalid_texts", "texts must be a JSON array of strings.")
    check_batch_size(len(value), MAX_TEXTS)
    bad = [
        {"index": index, "reason": reason}
        for index, text in enumerate(value)
        if (reason := text_problem(text)) is not None
    ]
    if bad:
        raise refuse_items(bad)
    return [text.strip() for text in value]


def trained_model(model_id: int) -> EmotionModel:
    """One of the caller's models that has finished training (ModelNotFound: not theirs)."""
    model = training.owned(current_user.id, model_id)
    if not model.labels:
        message = f"The model {model.name!r} has not finished training."
        raise Refusal(409, "model_not_ready", message)
    return model


def result_dict(result: EmotionResult, explain: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "label": result.label,
        "scores": result.scores,
        "valence": result.valence,
    }
    if explain:
        found["contributions"] = [[token, weight] for token, weight in result.contributions]
    return found
