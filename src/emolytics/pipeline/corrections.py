"""Corrections: the right label of a text, set by a member of the team.

`label_corrections` holds one row per corrected text and outlives every analysis. The dataset's
current analysis carries it in its results: `Result.label` is the corrected (final) label and
`Result.model_label` the model's own (NULL: not corrected), so every count, filter, map point
and export takes the corrected label without a join. A correction changes the analysis's
counts by exactly that text (its old groups less one, its new groups one more), in the same
transaction; an analysis that finishes later applies every correction of its dataset (`apply`)
before it counts its results.

A correction records the model's label and score in the current analysis at its latest change
(set or changed): after a re-run with another model they are what that analysis said when the
label was last set, not what the first one said.
"""

from typing import NamedTuple

from sqlalchemy import delete, func, select, update

from emolytics import caching
from emolytics.engine import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import counts
from emolytics.pipeline.datasets import DatasetNotFound
from emolytics.pipeline.filters import labels_of
from emolytics.pipeline.purge import hold
from emolytics.tables import (
    Correction,
    CorrectionSource,
    Dataset,
    EmotionModel,
    Job,
    JobCount,
    JobPoint,
    Result,
    TextKeyword,
    TextRow,
    User,
    utcnow,
)


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
) -> Correction:
    """Set (or change) the label of `text_id` to `label`, in the correction and in the current
    analysis's result, counts and map points, in one transaction.

    Raises DatasetNotFound (deleted meanwhile), TextNotFound, NotAnalysed or LabelNotInSet;
    nothing is written then.
    """
    try:
        result = _locked_result(dataset, text_id)
        labels = labels_of(dataset)
        if label not in labels:
            raise LabelNotInSet(label, labels)
        model_label = result.label if result.model_label is None else result.model_label
        correction = db.session.get(Correction, (dataset.id, text_id))
        if correction is None:
            correction = Correction(dataset_id=dataset.id, text_id=text_id)
            db.session.add(correction)
        now = utcnow()
        correction.label = label
        correction.model_label = model_label
        correction.model_score = result.confidence
        correction.source = source
        correction.user_id = user_id
        correction.created_at = correction.created_at or now
        correction.updated_at = now
        _relabel(dataset, text_id, label, model_label)
        caching.changed_after_commit(db.session, [caching.DATASETS])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return correction


def uncorrect(dataset: Dataset, text_id: int) -> None:
    """Remove the correction of `text_id`: its result in the current analysis gets the model's
    label back, with the counts and map points, in one transaction.

    Raises DatasetNotFound, TextNotFound or NotCorrected; nothing is written then. A text the
    current analysis has not analysed yet loses its correction all the same.
    """
    try:
        _lock_dataset(dataset.id)
        _check_text(dataset.id, text_id)
        correction = db.session.get(Correction, (dataset.id, text_id))
        if correction is None:
            raise NotCorrected(text_id)
        db.session.delete(correction)
        result = _current_result(dataset, text_id)
        if result is not None and result.model_label is not None:
            _relabel(dataset, text_id, result.model_label, None)
        caching.changed_after_commit(db.session, [caching.DATASETS])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def made(dataset_id: int, text_id: int) -> Made | None:
    """The correction of `text_id` with who made it (None: not corrected)."""
    row = db.session.execute(
        select(Correction, User.username)
        .outerjoin(User, User.id == Correction.user_id)
        .where(Correction.dataset_id == dataset_id, Correction.text_id == text_id)
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


# --- the text, its result, and its place in the counts ------------------------------------------


def _lock_dataset(dataset_id: int) -> None:
    """The dataset's row, locked the way `analysis.finish` locks it: a correction and an
    analysis becoming current take turns; DatasetNotFound if it was deleted."""
    found = db.session.scalar(
        select(Dataset.id).where(Dataset.id == dataset_id).with_for_update(key_share=True)
    )
    if found is None:
        raise DatasetNotFound(dataset_id)


def _check_text(dataset_id: int, text_id: int) -> None:
    found = db.session.scalar(
        select(TextRow.id).where(TextRow.id == text_id, TextRow.dataset_id == dataset_id)
    )
    if found is None:
        raise TextNotFound(text_id)


def _current_result(dataset: Dataset, text_id: int) -> Result | None:
    """The text's result in the current analysis, whose job is held (its rows have no foreign
    key), or None."""
    db.session.refresh(dataset, ["current_job_id"])
    if dataset.current_job_id is None:
        return None
    hold(Job, dataset.current_job_id)
    return db.session.get(Result, (dataset.current_job_id, text_id), populate_existing=True)


def _locked_result(dataset: Dataset, text_id: int) -> Result:
    _lock_dataset(dataset.id)
    _check_text(dataset.id, text_id)
    result = _current_result(dataset, text_id)
    if result is None:
        raise NotAnalysed(text_id)
    return result


def _relabel(dataset: Dataset, text_id: int, label: str, model_label: str | None) -> None:
    """Move the text from its groups in the current analysis's counts and points to those of
    `label` (corrected when `model_label` is set)."""
    job_id = dataset.current_job_id
    _subtract(job_id, dataset.id, text_id)
    db.session.execute(
        update(Result)
        .where(Result.job_id == job_id, Result.text_id == text_id)
        .values(label=label, model_label=model_label)
        .execution_options(synchronize_session=False)
    )
    counts.add(job_id, dataset.id, [text_id])


def _subtract(job_id: int, dataset_id: int, text_id: int) -> None:
    """Take the text out of the job's counts (groups left empty are deleted) and its points.
    The earliest and latest times of a group it leaves stay as they were (bounds, not exact)."""
    for grouped in counts.groups(job_id, dataset_id, TextRow.id == text_id):
        for row in db.session.execute(grouped).all():
            hour = JobCount.hour.is_(None) if row.hour is None else JobCount.hour == row.hour
            same = (
                JobCount.job_id == job_id,
                JobCount.keyword == row.keyword,
                JobCount.also == row.also,
                JobCount.label == row.label,
                hour,
            )
            db.session.execute(
                update(JobCount)
                .where(*same)
                .values(
                    texts=JobCount.texts - row.texts,
                    geotagged=JobCount.geotagged - row.geotagged,
                    corrected=JobCount.corrected - row.corrected,
                )
                .execution_options(synchronize_session=False)
            )
            db.session.execute(delete(JobCount).where(*same, JobCount.texts <= 0))
    _remove_points(job_id, dataset_id, text_id)


def _remove_points(job_id: int, dataset_id: int, text_id: int) -> None:
    """The text's map points, found through the points' index (job, keyword, time)."""
    posted_at = db.session.scalar(select(TextRow.posted_at).where(TextRow.id == text_id))
    keywords = [""] + list(
        db.session.scalars(
            select(TextKeyword.keyword).where(
                TextKeyword.dataset_id == dataset_id, TextKeyword.text_id == text_id
            )
        )
    )
    when = JobPoint.posted_at.is_(None) if posted_at is None else JobPoint.posted_at == posted_at
    db.session.execute(
        delete(JobPoint).where(
            JobPoint.job_id == job_id,
            JobPoint.keyword.in_(keywords),
            when,
            JobPoint.text_id == text_id,
        )
    )


def _labels_of_job(job_id: int) -> list[str]:
    """The label set of the job's model (the default analyzer's when it has none)."""
    labels = db.session.scalar(
        select(EmotionModel.labels)
        .join(Job, Job.model_id == EmotionModel.id)
        .where(Job.id == job_id)
    )
    return list(EMOTIONS) if labels is None else list(labels)
