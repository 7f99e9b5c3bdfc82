"""The review queue: a dataset's texts to label by hand, those its model is least sure about
first, and how often the model agrees with the reviewers.

The queue holds the current analysis's scored texts that have no correction, by margin (the gap
between the two best scores, smallest first; texts analysed before margins were kept last), then
by id. It continues the review's sequence: of every `SAMPLE_EVERY` texts reviewed, the last is
instead drawn at random (the uncorrected text with the smallest `sample_key`, a keyed hash of
its id), so the texts drawn so far are, with those corrected before the draw reached them, a
simple random sample of the dataset's scored texts: their agreement with the model is an honest
estimate of its accuracy on this dataset, where the least-sure texts only show it at its worst.

Several reviewers share a queue: each one's page holds the text it shows (`review_holds`), which
the queue leaves out for the others, and a label never overwrites one a colleague set meanwhile.
"""

import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from emolytics.extensions import db
from emolytics.pipeline import corrections, review_holds, text_pages
from emolytics.pipeline.filters import sum_of
from emolytics.pipeline.review_order import (
    DRAWN,
    UNSURE,
    Ranked,
    candidates,
    ordered,
    sample_key,
)
from emolytics.tables import (
    NOT_SCORED,
    Correction,
    CorrectionSource,
    Dataset,
    JobCount,
    Result,
    utcnow,
)

SAMPLE_EVERY = 4  # every 4th text reviewed is drawn at random
MIN_SAMPLE = 10  # random texts reviewed before the estimate has an interval
Z_95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval
CLAIMS = 3  # texts a page tries to hold before it shows one another reviewer just took
REVIEWED = (CorrectionSource.REVIEW, CorrectionSource.SAMPLE)


@dataclass(frozen=True)
class Queued:
    """A text of the queue: its margin (None: analysed before margins were kept) and whether
    it was drawn at random (its label is then stored as a SAMPLE correction)."""

    text_id: int
    margin: float | None
    sample: bool


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


@dataclass(frozen=True)
class Overview:
    items: list[dict[str, Any]]  # texts as the texts table shows them, with margin and sample
    progress: Progress
    other_reviewers: int = 0  # with a text open on their page (left out of this one)


def wilson(agreed: int, texts: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of the proportion agreed / texts (texts > 0)."""
    rate = agreed / texts
    spread = z * z / texts
    centre = (rate + spread / 2) / (1 + spread)
    half = z / (1 + spread) * math.sqrt(rate * (1 - rate) / texts + spread / (4 * texts))
    return max(0.0, centre - half), min(1.0, centre + half)


# --- the queue ---------------------------------------------------------------------------------


def overview(
    dataset: Dataset, limit: int, skipped: Collection[int] = (), first: Queued | None = None
) -> Overview:
    """The next `limit` texts of the queue (see `queue`) with the review's progress. `first`
    (a text a reviewer goes back to) leads while it is still in the queue."""
    back = first and queued(dataset, first.text_id, first.sample)
    if back is None:
        listed = queue(dataset, limit, skipped)
    else:  # the page's one text: no scan of the results
        listed = [back, *queue(dataset, limit - 1, [*skipped, back.text_id])]
    items = []
    for item in listed:
        row = text_pages.text(dataset, item.text_id)
        if row is not None:  # always, unless deleted since
            items.append(row | {"margin": item.margin, "sample": item.sample})
    return Overview(items, progress(dataset))


def for_reviewer(
    dataset: Dataset,
    user_id: int,
    limit: int,
    skipped: Collection[int] = (),
    first: Queued | None = None,
    *,
    hold: bool = False,
) -> Overview:
    """`overview` for reviewer `user_id`: the texts other reviewers have open are left out.
    `hold` (a page that labels one text at a time): the first text is held for them, or their
    hold ends when there is none (commits)."""
    now = utcnow()
    others = review_holds.others(dataset.id, user_id, now)
    left_out = [*skipped, *others.text_ids]
    if first is not None and first.text_id in others.text_ids:
        first = None
    for _ in range(CLAIMS):
        found = overview(dataset, limit, left_out, first)
        if not hold or not found.items:
            break
        text_id = found.items[0]["id"]
        if review_holds.claim(dataset.id, text_id, user_id, now):
            break
        left_out.append(text_id)  # taken by another reviewer since `others` was read
        first = None
    if hold:
        if not found.items:
            review_holds.release(dataset.id, user_id)
        db.session.commit()
    return Overview(found.items, found.progress, others.reviewers)


def queue(dataset: Dataset, limit: int, skipped: Collection[int] = ()) -> list[Queued]:
    """The first `limit` texts of the queue, leaving out `skipped` (a reviewer's skipped texts).

    The first one takes the place after the texts reviewed so far; places that are multiples of
    SAMPLE_EVERY are drawn at random, among texts not already listed.
    """
    unsure = ordered(dataset, UNSURE, limit, skipped)
    drawn = ordered(dataset, DRAWN, limit, skipped)
    start = reviewed(dataset.id)
    listed: dict[int, Queued] = {}
    for place in range(start + 1, start + limit + 1):
        sample = place % SAMPLE_EVERY == 0
        found = _next_new(drawn if sample else unsure, listed)
        if found is None:  # that list is used up: the other one may still hold texts
            sample = not sample
            found = _next_new(drawn if sample else unsure, listed)
        if found is None:
            break
        listed[found.text_id] = Queued(found.text_id, found.margin, sample)
    return list(listed.values())


def queued(dataset: Dataset, text_id: int, sample: bool) -> Queued | None:
    """`text_id` as a text of the queue (a text a reviewer goes back to), or None when it is
    not in the queue (corrected meanwhile, not scored, not in the dataset)."""
    if dataset.current_job_id is None:
        return None
    found = db.session.execute(candidates(dataset, ()).where(Result.text_id == text_id)).first()
    return None if found is None else Queued(text_id, found.margin, sample)


def reviewed(dataset_id: int) -> int:
    """How many of the dataset's texts were labelled in the review."""
    return db.session.scalar(
        select(func.count()).where(
            Correction.dataset_id == dataset_id, Correction.source.in_(REVIEWED)
        )
    )


def _next_new(rows: Iterator[Ranked], listed: dict[int, Queued]) -> Ranked | None:
    return next((row for row in rows if row.text_id not in listed), None)


# --- labelling ---------------------------------------------------------------------------------


def label(dataset: Dataset, text_id: int, chosen: str, user_id: int, sample: bool) -> None:
    """Store the reviewer's label of a text of the queue: a SAMPLE correction when it was drawn
    at random, else a REVIEW one; a label another member set meanwhile stays (raises what
    `corrections.correct` raises, CorrectedMeanwhile among them). The reviewer's hold ends."""
    source = CorrectionSource.SAMPLE if sample else CorrectionSource.REVIEW
    try:
        corrections.correct(dataset, text_id, chosen, user_id, source, keep_others=True)
    finally:
        review_holds.release(dataset.id, user_id)
        db.session.commit()


def undo(dataset: Dataset, text_id: int, user_id: int) -> bool:
    """Remove the review's label of `text_id` if it is still `user_id`'s from the review;
    whether it was removed (a label changed since, by anyone, stays)."""
    correction = db.session.get(Correction, (dataset.id, text_id))
    if correction is None or correction.user_id != user_id or correction.source not in REVIEWED:
        return False
    corrections.uncorrect(dataset, text_id)
    return True


# --- progress and agreement --------------------------------------------------------------------


def progress(dataset: Dataset) -> Progress:
    """How far the review has come and how often the model agrees with the reviewers."""
    return Progress(
        reviewed=reviewed(dataset.id),
        remaining=_remaining(dataset),
        sample=_agreement(dataset, _in_sample(dataset.id)),
        reviewed_agreement=_agreement(dataset, Correction.source.in_(REVIEWED)),
    )


def _remaining(dataset: Dataset) -> int:
    """Scored texts without a correction, from the current analysis's counts."""
    if dataset.current_job_id is None:
        return 0
    every = (
        JobCount.job_id == dataset.current_job_id,
        JobCount.keyword == "",
        JobCount.also == "",
        JobCount.label != NOT_SCORED,
    )
    texts, corrected = db.session.execute(
        select(sum_of(JobCount.texts), sum_of(JobCount.corrected)).where(*every)
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
