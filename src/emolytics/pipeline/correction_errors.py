"""What setting or removing a correction refuses (pipeline.corrections)."""


class TextNotFound(LookupError):
    """No such text in this dataset (another dataset's texts are not found either)."""


class NotAnalysed(Exception):
    """The text has no result in the dataset's current analysis yet: nothing to correct."""


class NotCorrected(LookupError):
    """The text has no correction to remove."""


class LabelNotInSet(ValueError):
    """The label is not one of the current analysis's labels."""

    def __init__(self, label: str, labels: list[str]) -> None:
        super().__init__(
            f"Unknown label {label[:40]!r}: choose one of the analysis's labels "
            f"({', '.join(labels)})."
        )
        self.label = label
        self.labels = labels


class CorrectedMeanwhile(Exception):
    """Another member set the text's label after it was shown to the reviewer, whose label
    was then not stored (the review never overwrites a colleague's label)."""

    def __init__(self, label: str, username: str | None, chosen: str) -> None:
        who = username or "A former member"
        if label == chosen:
            message = f"{who} labelled this text {label} too, while you had it open."
        else:
            message = (
                f"{who} labelled this text {label} while you had it open: "
                f"your label ({chosen}) was not stored."
            )
        super().__init__(message)
        self.agrees = label == chosen
