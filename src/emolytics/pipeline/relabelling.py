"""A corrected text's place in its analysis: out of the counts and map points of its old label,
into those of its new one, exactly that text (see `corrections`)."""

from datetime import datetime

from sqlalchemy import delete, update

from emolytics.extensions import db
from emolytics.pipeline import counts
from emolytics.tables import Dataset, JobCount, JobPoint, Result


def relabel(
    dataset: Dataset, text_id: int, posted_at: datetime | None, label: str, model_label: str | None
) -> None:
    """Move the text from its groups in the current analysis's counts and points to those of
    `label` (corrected when `model_label` is set); the caller holds the job's counts."""
    job_id = dataset.current_job_id
    keywords = _subtract(job_id, dataset.id, text_id)
    _remove_points(job_id, text_id, posted_at, keywords)
    db.session.execute(
        update(Result)
        .where(Result.job_id == job_id, Result.text_id == text_id)
        .values(label=label, model_label=model_label)
        .execution_options(synchronize_session=False)
    )
    counts.add(job_id, dataset.id, [text_id])


def _subtract(job_id: int, dataset_id: int, text_id: int) -> list[str]:
    """Take the text out of the job's counts (groups left empty are deleted); the keywords it
    mentions. The earliest and latest times of a group it leaves stay as they were (bounds,
    not exact)."""
    keywords = []
    languages = counts.know_languages(job_id)
    for grouped in counts.groups(job_id, dataset_id, text_ids=[text_id], languages=languages):
        for row in db.session.execute(grouped).all():
            if row.keyword == "" and row.also != "":
                keywords.append(row.also)
            same = counts.group_of(job_id, row)
            left = db.session.execute(
                update(JobCount)
                .where(*same)
                .values(
                    {name: getattr(JobCount, name) - row._mapping[name] for name in counts.SUMMED}
                )
                .returning(JobCount.id, JobCount.texts)
                .execution_options(synchronize_session=False)
            ).first()
            if left is not None and left.texts <= 0:
                db.session.execute(delete(JobCount).where(JobCount.id == left.id))
    return keywords


def _remove_points(
    job_id: int, text_id: int, posted_at: datetime | None, keywords: list[str]
) -> None:
    """The text's map points, found through the points' index (job, keyword, time)."""
    when = JobPoint.posted_at.is_(None) if posted_at is None else JobPoint.posted_at == posted_at
    db.session.execute(
        delete(JobPoint).where(
            JobPoint.job_id == job_id,
            JobPoint.keyword.in_(["", *keywords]),
            when,
            JobPoint.text_id == text_id,
        )
    )
