"""A text's label as a member corrected it: `PUT` sets or changes it (for one text, or one label
for several), `DELETE` removes it (the model's label is the text's again). Either changes the
dashboard's numbers at once."""

from collections.abc import Sequence

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import correction_errors, corrections, datasets, text_pages
from emolytics.schemas.corrections import LabelChoice, LabelsChoice
from emolytics.schemas.errors import Refusal
from emolytics.schemas.texts import Text, Texts
from emolytics.tables import Dataset, Role

URL = "/datasets/<int:dataset_id>/texts/<int:text_id>/label"


@bp.put(URL)
@documented(
    Operation(
        "correctLabel",
        "Corrections",
        "Set a text's right label",
        description="The text is counted under this label everywhere (summary, timeline, map, "
        "texts, exports) from this answer on, and keeps it when the dataset is analysed again "
        "(by a model that has the label). Setting it again changes it. The correction records "
        "who set it, when, and the model's label and score.",
        body={"application/json": LabelChoice},
        examples={"application/json": {"label": "anger"}},
        replies={200: Reply("The text, as the texts endpoint shows it.", Text)},
        errors=(400, 401, 403, 404, 409, 415, 422),
    )
)
@current_team.requires(Role.ANALYST)
def correct_label(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    _corrected(dataset, [text_id], json_body(LabelChoice).label)
    return Text.model_validate(text_pages.text(dataset, text_id)).json()


@bp.put("/datasets/<int:dataset_id>/texts/labels")
@documented(
    Operation(
        "correctLabels",
        "Corrections",
        "Set one right label for several texts",
        description="As setting each text's label, in one transaction: every text listed, or "
        "(a text not in the dataset, not analysed yet, or a label not in the set) none.",
        body={"application/json": LabelsChoice},
        examples={"application/json": {"text_ids": [12, 15, 31], "label": "anger"}},
        replies={
            200: Reply("The texts, in the order listed, as the texts endpoint shows them.", Texts)
        },
        errors=(400, 401, 403, 404, 409, 415, 422),
    )
)
@current_team.requires(Role.ANALYST)
def correct_labels(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    chosen = json_body(LabelsChoice)
    text_ids = list(dict.fromkeys(chosen.text_ids))
    _corrected(dataset, text_ids, chosen.label)
    return Texts(texts=text_pages.listed(dataset, text_ids)).json()


def _corrected(dataset: Dataset, text_ids: Sequence[int], label: str) -> None:
    """Set the label of the texts, or answer why not (404 for a text not in the dataset)."""
    try:
        corrections.correct_all(dataset, text_ids, label, current_user.id)
    except correction_errors.NotAnalysed as error:
        raise Refusal(
            409, "not_analysed", "This text is not analysed yet: correct it once it is."
        ) from error
    except correction_errors.LabelNotInSet as error:
        raise Refusal(422, "unknown_label", str(error)) from error


@bp.delete(URL)
@documented(
    Operation(
        "removeCorrection",
        "Corrections",
        "Remove a text's correction",
        description="The text has the model's label again, everywhere.",
        replies={204: Reply("Removed.")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def remove_correction(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    try:
        corrections.uncorrect(dataset, text_id)
    except correction_errors.NotCorrected as error:
        raise Refusal(404, "not_corrected", "This text has no correction.") from error
    return "", 204
