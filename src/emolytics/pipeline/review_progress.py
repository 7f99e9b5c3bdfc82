"""How far a dataset's review has come, and how often its model agrees with the reviewers.

The agreement is read on two sets of corrections: those the random draws of the review (see
`review`) have reached, a simple random sample of the dataset's scored texts (an estimate of
the model's accuracy on this dataset, with its Wilson interval), and every text reviewed (the
hardest ones, mostly).
"""

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select

from emolytics.extensions import db
from emolytics.pipeline.filters import Filters, kept_counts, searched, sum_of
from emolytics.pipeline.review_order import EVERY_TEXT, sample_key
from emolytics.tables import NOT_SCORED, Correction, CorrectionSource, Dataset, Result

MIN_SAMPLE = 10  # random texts reviewed before the estimate has an interval
Z_95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval
REVIEWED = (CorrectionSource.REVIEW, CorrectionSource.SAMPLE)


@dataclass(frozen=True)
class Agreement:
    """How many of `texts` reviewed texts the model had labelled as the reviewer did."""

    agreed: int
    texts: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.texts if self.texts else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """The Wilson 95 % interval of the rate; None below MIN_SAMPLE texts (too few)."""
        if self.texts < MIN_SAMPLE:
            return None
        return wilson(self.agreed, self.texts)


@dataclass(frozen=True)
class Progress:
    reviewed: int  # texts labelled in the review (drawn at random or not)
    remaining: int  # scored texts of the current analysis without a correction
    sample: Agreement  # on the random sample: the estimate of the model's accuracy
    reviewed_agreement: Agreement  # on every reviewed text: the hardest ones, mostly


def wilson(agreed: int, texts: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of the proportion agreed / texts (texts > 0)."""
    rate = agreed / texts
    spread = z * z / texts
    centre = (rate + spread / 2) / (1 + spread)
    half = z / (1 + spread) * math.sqrt(rate * (1 - rate) / texts + spread / (4 * texts))
    return max(0.0, centre - half), min(1.0, centre + half)


def reviewed(dataset_id: int) -> int:
    """How many of the dataset's texts were labelled in the review."""
    return db.session.scalar(
        select(func.count()).where(
            Correction.dataset_id == dataset_id, Correction.source.in_(REVIEWED)
        )
    )


def progress(dataset: Dataset, filters: Filters = EVERY_TEXT) -> Progress:
    """How far the review has come (the texts left: those `filters` keep) and how often the
    model agrees with the reviewers (on the whole dataset)."""
    return Progress(
        reviewed=reviewed(dataset.id),
        remaining=_remaining(dataset, filters),
        sample=_agreement(dataset, _in_sample(dataset.id)),
        reviewed_agreement=_agreement(dataset, Correction.source.in_(REVIEWED)),
    )


def _remaining(dataset: Dataset, filters: Filters) -> int:
    """Scored texts without a correction that `filters` keep, from the current analysis's
    counts (`filters.kept_counts`)."""
    if dataset.current_job_id is None:
        return 0
    counted = kept_counts(dataset, searched(dataset, filters))
    texts, corrected = db.session.execute(
        select(sum_of(counted.c.texts), sum_of(counted.c.corrected))
    ).one()
    return texts - corrected


def _in_sample(dataset_id: int) -> ColumnElement[bool]:
    """The corrected texts the random draws have reached: every text whose key is at most that
    of the last text drawn (those before it were either drawn or corrected already)."""
    key = sample_key(dataset_id, Correction.text_id)
    last_drawn = (
        select(func.max(key))
        .where(Correction.dataset_id == dataset_id, Correction.source == CorrectionSource.SAMPLE)
        .scalar_subquery()
    )
    return key <= last_drawn


def _agreement(dataset: Dataset, kept: ColumnElement[bool]) -> Agreement:
    """The model's agreement with the corrections `kept`: the current analysis's own label
    (before the correction) against the corrected one, over texts it scored."""
    if dataset.current_job_id is None:
        return Agreement(0, 0)
    own = func.coalesce(Result.model_label, Result.label)
    agreed, texts = db.session.execute(
        select(sum_of(case((Correction.label == own, 1), else_=0)), func.count())
        .select_from(Correction)
        .join(
            Result,
            and_(Result.job_id == dataset.current_job_id, Result.text_id == Correction.text_id),
        )
        .where(Correction.dataset_id == dataset.id, own != NOT_SCORED, kept)
    ).one()
    return Agreement(agreed, texts)
