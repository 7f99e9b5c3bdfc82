"""A text's correction as the API takes it, or one label for several texts."""

from typing import Annotated

from pydantic import Field, Strict, StrictStr

from emolytics.pipeline.corrections import MAX_AT_ONCE
from emolytics.schemas.fields import MAX_ID
from emolytics.schemas.requests import Body

LABEL = (
    "One of the labels of the dataset's current analysis (the summary's `labels`); any other "
    "is refused (422, `unknown_label`)."
)


class LabelChoice(Body):
    """The right label of a text: one of the labels of the dataset's current analysis."""

    refusals = {
        "label": ("invalid_label", "label is a string: one of the analysis's labels."),
    }

    label: StrictStr = Field(description=LABEL)


class LabelsChoice(Body):
    """One right label for several texts of the dataset."""

    refusals = {
        **LabelChoice.refusals,
        "text_ids": ("invalid_text_ids", f"text_ids lists 1 to {MAX_AT_ONCE} text ids."),
    }

    text_ids: list[Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1,
        max_length=MAX_AT_ONCE,
        description=f"The texts (1 to {MAX_AT_ONCE}; an id given twice counts once).",
    )
    label: StrictStr = Field(description=LABEL)
