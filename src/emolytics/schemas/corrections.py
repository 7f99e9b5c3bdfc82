"""A text's correction as the API takes it."""

from pydantic import Field, StrictStr

from emolytics.schemas.requests import Body


class LabelChoice(Body):
    """The right label of a text: one of the labels of the dataset's current analysis."""

    refusals = {
        "label": ("invalid_label", "label is a string: one of the analysis's labels."),
    }

    label: StrictStr = Field(
        description="One of the labels of the dataset's current analysis (the summary's "
        "`labels`); any other is refused (422, `unknown_label`)."
    )
