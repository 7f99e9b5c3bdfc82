"""A dataset's retention: how long it keeps its texts."""

from flask.typing import ResponseReturnValue

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.api import bp
from emolytics.api.datasets import dataset_answer
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, retention
from emolytics.schemas.answers import RetentionKept
from emolytics.schemas.errors import Refusal
from emolytics.schemas.requests import Retention
from emolytics.tables import Role, utcnow


@bp.put("/datasets/<int:dataset_id>/retention")
@documented(
    Operation(
        "keepDatasetTexts",
        "Datasets",
        "Set how long the dataset keeps its texts",
        description="Each text is deleted, with its results and corrections, once it is "
        "`keep_days` days older than its time (texts without a time are kept); the texts past "
        "it already go at once (409 while the dataset is being analysed or tagged: nothing "
        "changes then), the others as they pass it, within the hour. `null` keeps them for "
        "ever. Deletes with no confirmation step and no undo.",
        body={"application/json": Retention},
        examples={"application/json": {"keep_days": 90}},
        replies={200: Reply("The dataset, and what was deleted now.", RetentionKept)},
        errors=(400, 401, 403, 404, 409, 415),
    )
)
@current_team.requires(Role.ANALYST)
def keep_dataset_texts(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    days = json_body(Retention).keep_days
    try:
        expired = retention.keep(dataset, days, utcnow())
    except retention.RemovalRefused as error:
        raise Refusal(409, "removal_refused", str(error)) from error
    target = f"{named('dataset', dataset.id, dataset.name)}: texts kept {retention.kept_for(days)}"
    request_audit.team_event("dataset.retention_changed", target)
    answer = RetentionKept(
        dataset=dataset_answer(dataset), expired=expired.texts, corrections=expired.corrections
    )
    return answer.json()
