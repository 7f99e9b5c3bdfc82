"""`POST /analyze`: emotions of up to 1,000 texts at once, nothing stored."""

from flask.typing import ResponseReturnValue

from emolytics import current_team
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import quick_analysis, training
from emolytics.schemas.answers import Result, Results
from emolytics.schemas.errors import Refusal
from emolytics.schemas.fields import MAX_ID
from emolytics.schemas.requests import MAX_TEXTS, AnalyzeBody
from emolytics.tables import EmotionModel, Role


@bp.post("/analyze")
@documented(
    Operation(
        "analyze",
        "Analysis",
        "Analyse texts",
        description=f"Labels, scores and valence of 1 to {MAX_TEXTS:,} texts; nothing is "
        "stored. With `explain`, the words that made each label. A text in a language the "
        "model does not read is not scored (`not_scored`: `language`).",
        body={"application/json": AnalyzeBody},
        examples={
            "application/json": {
                "texts": ["The new tram is wonderful!", "Delayed again..."],
                "explain": True,
            }
        },
        replies={200: Reply("One result per text, in order.", Results)},
        errors=(400, 401, 403, 404, 409, 413, 415),
    )
)
@current_team.requires(Role.ANALYST)
def analyze() -> ResponseReturnValue:
    body = json_body(AnalyzeBody)
    if body.model_id is not None:
        trained_model(body.model_id)
    found, results = quick_analysis.analysed(body.model_id, body.texts, body.explain)
    answers = [
        Result.of(result, language.code, body.explain)
        for result, language in zip(results, found, strict=True)
    ]
    return Results(results=answers).json()


def trained_model(model_id: int) -> EmotionModel:
    """One of the team's models that has finished training (ModelNotFound: not the team's)."""
    if model_id > MAX_ID:  # no such id exists (nor fits in the database)
        raise training.ModelNotFound(model_id)
    model = training.owned(current_team.team_id(), model_id)
    if not model.labels:
        message = f"The model {model.name!r} has not finished training."
        raise Refusal(409, "model_not_ready", message)
    return model
