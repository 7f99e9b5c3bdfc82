"""The review queue: a dataset's texts to label by hand, those its model is least sure about
first (how far the review has come, and how often the model agrees: `review_progress`).

The queue holds the current analysis's scored texts that have no correction, by margin (the gap
between the two best scores, smallest first; texts analysed before margins were kept last), then
by id. It continues the review's sequence: of every `SAMPLE_EVERY` texts reviewed, the last is
instead drawn at random (the uncorrected text with the smallest `sample_key`, a keyed hash of
its id), so the texts drawn so far are, with those corrected before the draw reached them, a
simple random sample of the dataset's scored texts: their agreement with the model is an honest
estimate of its accuracy on this dataset, where the least-sure texts only show it at its worst.

A review of the texts the dashboard's filters keep (a keyword's, a segment's, those labelled
joy) takes the least sure of them at every place: a draw among them would not be a random
sample of the dataset, so the estimate is made by the review of the whole dataset only.

Several reviewers share a queue: each one's page holds the text it shows (`review_holds`), which
the queue leaves out for the others, and a label never overwrites one a colleague set meanwhile.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from emolytics.extensions import db
from emolytics.pipeline import corrections, review_holds, text_pages
from emolytics.pipeline.filters import Filters, searched
from emolytics.pipeline.review_order import (
    DRAWN,
    EVERY_TEXT,
    UNSURE,
    Ranked,
    candidates,
    ordered,
)
from emolytics.pipeline.review_progress import REVIEWED, Progress, progress, reviewed
from emolytics.tables import Correction, CorrectionSource, Dataset, Result, utcnow

SAMPLE_EVERY = 4  # every 4th text reviewed is drawn at random
CLAIMS = 3  # texts a page tries to hold before it shows one another reviewer just took


@dataclass(frozen=True)
class Queued:
    """A text of the queue: its margin (None: analysed before margins were kept) and whether
    it was drawn at random (its label is then stored as a SAMPLE correction)."""

    text_id: int
    margin: float | None
    sample: bool


@dataclass(frozen=True)
class Overview:
    items: list[dict[str, Any]]  # texts as the texts table shows them, with margin and sample
    progress: Progress
    other_reviewers: int = 0  # with a text open on their page (left out of this one)


# --- the queue ---------------------------------------------------------------------------------


def overview(
    dataset: Dataset,
    limit: int,
    skipped: Collection[int] = (),
    first: Queued | None = None,
    filters: Filters = EVERY_TEXT,
) -> Overview:
    """The next `limit` texts of the queue (see `queue`) with the review's progress. `first`
    (a text a reviewer goes back to) leads while it is still in the queue."""
    filters = searched(dataset, filters)  # a search's matches read once for the queue and count
    back = first and queued(dataset, first.text_id, first.sample, filters)
    if back is None:
        listed = queue(dataset, limit, skipped, filters)
    else:  # the page's one text: no scan of the results
        listed = [back, *queue(dataset, limit - 1, [*skipped, back.text_id], filters)]
    items = []
    for item in listed:
        row = text_pages.text(dataset, item.text_id)
        if row is not None:  # always, unless deleted since
            items.append(row | {"margin": item.margin, "sample": item.sample})
    return Overview(items, progress(dataset, filters))


def for_reviewer(
    dataset: Dataset,
    user_id: int,
    limit: int,
    skipped: Collection[int] = (),
    first: Queued | None = None,
    filters: Filters = EVERY_TEXT,
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
        found = overview(dataset, limit, left_out, first, filters)
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


def queue(
    dataset: Dataset, limit: int, skipped: Collection[int] = (), filters: Filters = EVERY_TEXT
) -> list[Queued]:
    """The first `limit` texts of the queue, leaving out `skipped` (a reviewer's skipped texts),
    among those `filters` keep.

    The first one takes the place after the texts reviewed so far; places that are multiples of
    SAMPLE_EVERY are drawn at random, among texts not already listed, unless `filters` keep
    some texts only.
    """
    unsure = ordered(dataset, UNSURE, limit, skipped, filters)
    filtered = bool(filters.as_args())
    drawn = iter(()) if filtered else ordered(dataset, DRAWN, limit, skipped)
    start = reviewed(dataset.id)
    listed: dict[int, Queued] = {}
    for place in range(start + 1, start + limit + 1):
        sample = place % SAMPLE_EVERY == 0 and not filtered
        found = _next_new(drawn if sample else unsure, listed)
        if found is None:  # that list is used up: the other one may still hold texts
            sample = not sample
            found = _next_new(drawn if sample else unsure, listed)
        if found is None:
            break
        listed[found.text_id] = Queued(found.text_id, found.margin, sample)
    return list(listed.values())


def queued(
    dataset: Dataset, text_id: int, sample: bool, filters: Filters = EVERY_TEXT
) -> Queued | None:
    """`text_id` as a text of the queue (a text a reviewer goes back to), or None when it is
    not in the queue (corrected meanwhile, not scored, not in the dataset or not kept by
    `filters`)."""
    if dataset.current_job_id is None:
        return None
    statement = candidates(dataset, (), filters).where(Result.text_id == text_id)
    found = db.session.execute(statement).first()
    return None if found is None else Queued(text_id, found.margin, sample)


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
