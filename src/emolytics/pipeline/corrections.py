"""Corrections: the right label of a text, set by a member of the team.

`label_corrections` holds one row per corrected text and outlives every analysis. The dataset's
current analysis carries it in its results: `Result.label` is the corrected (final) label and
`Result.model_label` the model's own (NULL: not corrected), so every count, filter, map point
and export takes the corrected label without a join. A correction changes the analysis's
counts by exactly that text (its old groups less one, its new groups one more), in the same
transaction; an analysis that finishes later applies every correction of its dataset (`apply`)
before it counts its results. Nothing cached changes with it: the short-lived caches hold the
teams' dataset lists and the model's top terms, neither of which a correction moves.

A correction records the model's label and score in the current analysis at its latest change
(set or changed): after a re-run with another model they are what that analysis said when the
label was last set, not what the first one said.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select, update

from emolytics.engine import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import relabelling
from emolytics.pipeline.correction_errors import (
    CorrectedMeanwhile,
    LabelNotInSet,
    NotAnalysed,
    NotCorrected,
    TextNotFound,
)
from emolytics.pipeline.datasets import DatasetNotFound
from emolytics.pipeline.filters import labels_of
from emolytics.pipeline.purge import hold
from emolytics.tables import (
    Correction,
    CorrectionSource,
    Dataset,
    EmotionModel,
    Job,
    Result,
    TextRow,
    User,
    utcnow,
)


class Made(NamedTuple):
    """A text's correction, and who made it (None: their account is gone)."""

    correction: Correction
    username: str | None


def correct(
    dataset: Dataset,
    text_id: int,
    label: str,
    user_id: int | None,
    source: CorrectionSource = CorrectionSource.TEXT,
    *,
    keep_others: bool = False,
) -> Correction:
    """Set (or change) the label of `text_id` to `label`, in the correction and in the current
    analysis's result, counts and map points, in one transaction. `keep_others`: a label
    another member set stays (CorrectedMeanwhile).

    Raises DatasetNotFound (deleted meanwhile), TextNotFound, NotAnalysed, LabelNotInSet or
    CorrectedMeanwhile; nothing is written then.
    """
    return _committed(dataset, [text_id], label, user_id, source, keep_others)[0]


MAX_AT_ONCE = 200  # texts `correct_all` takes (the texts table shows 50 a page)


def correct_all(
    dataset: Dataset, text_ids: Sequence[int], label: str, user_id: int | None
) -> list[Correction]:
    """`correct` each of `text_ids` (ticked in the texts table, or listed to the API; at most
    `MAX_AT_ONCE`) in one transaction: all of them, or, when one is refused, none."""
    return _committed(dataset, text_ids, label, user_id, CorrectionSource.TEXT, False)


def _committed(
    dataset: Dataset,
    text_ids: Sequence[int],
    label: str,
    user_id: int | None,
    source: CorrectionSource,
    keep_others: bool,
) -> list[Correction]:
    try:
        _lock(dataset)
        labels = labels_of(dataset)  # the current analysis's, read afresh by the lock
        corrected = [
            _correct(dataset, text_id, label, labels, user_id, source, keep_others)
            for text_id in text_ids
        ]
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return corrected


def _correct(
    dataset: Dataset,
    text_id: int,
    label: str,
    labels: list[str],
    user_id: int | None,
    source: CorrectionSource,
    keep_others: bool,
) -> Correction:
    found = _found(dataset, text_id)
    result = found.result
    if result is None:
        raise NotAnalysed(text_id)
    if label not in labels:
        raise LabelNotInSet(label, labels)
    model_label = result.label if result.model_label is None else result.model_label
    prior = made(dataset.id, text_id)
    if keep_others and prior is not None and prior.correction.user_id != user_id:
        raise CorrectedMeanwhile(prior.correction.label, prior.username, label)
    if prior is None:
        correction = Correction(dataset_id=dataset.id, text_id=text_id)
        db.session.add(correction)
    else:
        correction = prior.correction
    now = utcnow()
    correction.label = label
    correction.model_label = model_label
    correction.model_score = result.confidence
    correction.source = source
    correction.user_id = user_id
    correction.created_at = correction.created_at or now
    correction.updated_at = now
    relabelling.relabel(dataset, text_id, found.posted_at, label, model_label)
    return correction


def uncorrect(dataset: Dataset, text_id: int) -> None:
    """Remove the correction of `text_id`: its result in the current analysis gets the model's
    label back, with the counts and map points, in one transaction.

    Raises DatasetNotFound, TextNotFound or NotCorrected; nothing is written then. A text the
    current analysis has not analysed yet loses its correction all the same.
    """
    try:
        _lock(dataset)
        found = _found(dataset, text_id)
        correction = db.session.get(Correction, (dataset.id, text_id))
        if correction is None:
            raise NotCorrected(text_id)
        db.session.delete(correction)
        result = found.result
        if result is not None and result.model_label is not None:
            relabelling.relabel(dataset, text_id, found.posted_at, result.model_label, None)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def made(dataset_id: int, text_id: int) -> Made | None:
    """The correction of `text_id` with who made it (None: not corrected), read afresh."""
    row = db.session.execute(
        select(Correction, User.username)
        .outerjoin(User, User.id == Correction.user_id)
        .where(Correction.dataset_id == dataset_id, Correction.text_id == text_id)
        .execution_options(populate_existing=True)
    ).first()
    return None if row is None else Made(*row)


def apply(job_id: int, dataset_id: int) -> None:
    """Give the job's results the dataset's corrections whose label the job's model has (its
    `model_label` keeps the model's own), and the model's label back to results whose
    correction is gone; before the job's counts are built (the caller commits)."""
    kept = select(Correction.text_id).where(
        Correction.dataset_id == dataset_id, Correction.label.in_(_labels_of_job(job_id))
    )
    db.session.execute(
        update(Result)
        .where(
            Result.job_id == job_id,
            Result.model_label.is_not(None),
            Result.text_id.not_in(kept),
        )
        .values(label=Result.model_label, model_label=None)
        .execution_options(synchronize_session=False)
    )
    corrected_label = (
        select(Correction.label)
        .where(Correction.dataset_id == dataset_id, Correction.text_id == Result.text_id)
        .scalar_subquery()
    )
    db.session.execute(
        update(Result)
        .where(Result.job_id == job_id, Result.text_id.in_(kept))
        .values(model_label=func.coalesce(Result.model_label, Result.label), label=corrected_label)
        .execution_options(synchronize_session=False)
    )


# --- the text and its result --------------------------------------------------------------------


class _Found(NamedTuple):
    result: Result | None  # None: the current analysis (if any) has not analysed the text
    posted_at: datetime | None


def _lock(dataset: Dataset) -> None:
    """Lock the dataset's row the way `analysis.finish` does (a correction and an analysis
    becoming current take turns) and read its current analysis afresh; hold that job (its
    rows have no foreign key) as the live feed's writers of its counts do, for the rest of the
    transaction. DatasetNotFound (deleted meanwhile)."""
    locked = db.session.scalar(
        select(Dataset)
        .where(Dataset.id == dataset.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise DatasetNotFound(dataset.id)
    job_id = dataset.current_job_id
    if job_id is not None:
        _hold_counts(job_id)


def _found(dataset: Dataset, text_id: int) -> _Found:
    """The text and its result in the current analysis (`_lock` first). TextNotFound."""
    row = db.session.execute(
        select(TextRow.posted_at, Result)
        .outerjoin(
            Result, and_(Result.text_id == TextRow.id, Result.job_id == dataset.current_job_id)
        )
        .where(TextRow.id == text_id, TextRow.dataset_id == dataset.id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise TextNotFound(text_id)
    return _Found(row.Result, row.posted_at)


def _hold_counts(job_id: int) -> None:
    """Hold the job's row for a change of its counts: SQLite's write lock (`hold`); on
    PostgreSQL the row lock the live feed takes by raising the job's `done`, so that its
    `counts.add` and this change take turns (`hold`'s shared lock would let both add the same
    new group)."""
    if db.engine.dialect.name == "sqlite":
        hold(Job, job_id)
    else:
        db.session.execute(select(Job.id).where(Job.id == job_id).with_for_update(key_share=True))


def _labels_of_job(job_id: int) -> list[str]:
    """The label set of the job's model (the default analyzer's when it has none)."""
    labels = db.session.scalar(
        select(EmotionModel.labels)
        .join(Job, Job.model_id == EmotionModel.id)
        .where(Job.id == job_id)
    )
    return list(EMOTIONS) if labels is None else list(labels)
