"""The review queue's API: how many texts to list, and what it answers."""

from typing import Any

from pydantic import Field

from emolytics.pipeline.review import SAMPLE_EVERY
from emolytics.pipeline.review_progress import MIN_SAMPLE, Agreement, Progress
from emolytics.schemas.answers import Answer, Filters
from emolytics.schemas.requests import Query, QueryNumber
from emolytics.schemas.texts import Text

MAX_LIMIT = 100


class ReviewQuery(Query):
    refusals = {
        "limit": ("invalid_parameter", f"limit must be a whole number from 1 to {MAX_LIMIT}."),
    }

    limit: QueryNumber = Field(20, ge=1, le=MAX_LIMIT, description="How many texts to list.")


class QueuedText(Text):
    margin: float | None = Field(
        description="The gap between the model's two best scores: the smaller, the less sure "
        "it is. Null: analysed before margins were kept (listed after the others)."
    )
    sample: bool = Field(
        description=f"Drawn at random (one text in {SAMPLE_EVERY}), not for being unsure: its "
        "label counts towards the estimate of the model's accuracy."
    )


class AgreementAnswer(Answer):
    agreed: int = Field(description="Texts the model had labelled as the reviewer did.")
    texts: int
    rate: float | None = Field(description="agreed / texts (null: no texts yet).")
    low: float | None = Field(
        description=f"The Wilson 95 % interval of the rate; null below {MIN_SAMPLE} texts."
    )
    high: float | None

    @classmethod
    def of(cls, agreement: Agreement) -> "AgreementAnswer":
        low, high = agreement.interval or (None, None)
        return cls(
            agreed=agreement.agreed,
            texts=agreement.texts,
            rate=agreement.rate,
            low=low,
            high=high,
        )


class ReviewAgreement(Answer):
    sample: AgreementAnswer = Field(
        description="On the texts drawn at random: an estimate of the model's accuracy on "
        "this dataset."
    )
    reviewed: AgreementAnswer = Field(
        description="On every reviewed text, the hardest ones mostly: lower than its accuracy."
    )


class ReviewQueue(Answer):
    items: list[QueuedText] = Field(description="The texts to review next, in order.")
    reviewed: int = Field(description="Texts labelled in the review so far.")
    remaining: int = Field(
        description="Scored texts without a corrected label (of those the filters keep)."
    )
    agreement: ReviewAgreement = Field(description="On the whole dataset, whatever the filters.")
    filters: Filters = Field(description="The filters applied, as query parameters.")

    @classmethod
    def of(cls, items: list[dict[str, Any]], progress: Progress, filters: Filters) -> "ReviewQueue":
        return cls(
            items=items,
            reviewed=progress.reviewed,
            remaining=progress.remaining,
            agreement=ReviewAgreement(
                sample=AgreementAnswer.of(progress.sample),
                reviewed=AgreementAnswer.of(progress.reviewed_agreement),
            ),
            filters=filters,
        )
