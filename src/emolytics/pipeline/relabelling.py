"""Texts' places in their analysis's counts and map points: a corrected text moved out of those
of its old label into those of its new one, exactly that text (see `corrections`); a file's
texts taken out (see `added_files.remove`)."""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from emolytics import caching
from emolytics.extensions import db
from emolytics.pipeline import counts
from emolytics.tables import Dataset, JobCount, JobPoint, Result

GROUP = (*counts.GROUPED, "hour")  # what tells a count row from the job's others
IDS_PER_STATEMENT = 5_000  # ids bound to one statement (SQLite takes 32,766 values at most)


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
    caching.changed_after_commit(db.session, [caching.CORRECTIONS])  # the home's mixes


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


def take_out(job_id: int, dataset_id: int, text_ids: Sequence[int]) -> None:
    """Take the results of `text_ids` out of the job's counts and points; groups left empty are
    deleted (the earliest and latest times of the others stay: bounds, not exact). The job's
    count rows are found by their groups once, then changed by id (the counts' index knows no
    more than the job and keywords). The caller holds the job's row, as for `counts.add`."""
    group = [getattr(JobCount, name) for name in GROUP]
    found = db.session.execute(
        select(JobCount.id, JobCount.texts, *group).where(JobCount.job_id == job_id)
    )
    rows = {tuple(row[2:]): (row.id, row.texts) for row in found}
    taken: dict[tuple[Any, ...], dict[str, float]] = {}
    languages = counts.know_languages(job_id)
    points = JobPoint.__table__
    for start in range(0, len(text_ids), IDS_PER_STATEMENT):
        chunk = text_ids[start : start + IDS_PER_STATEMENT]
        for grouped in counts.groups(job_id, dataset_id, text_ids=chunk, languages=languages):
            for row in db.session.execute(grouped).mappings():
                summed = taken.setdefault(tuple(row[name] for name in GROUP), Counter())
                summed.update({name: row[name] for name in counts.SUMMED})
        db.session.execute(
            delete(points).where(points.c.job_id == job_id, counts.among(points.c.text_id, chunk))
        )
    changed, emptied = [], []
    for key, summed in taken.items():
        if key not in rows:  # nothing counted to take it from
            continue
        row_id, left = rows[key]
        if left > summed["texts"]:
            changed.append({"row": row_id, **{f"{name}_": summed[name] for name in counts.SUMMED}})
        else:
            emptied.append(row_id)
    if changed:
        db.session.execute(_TAKE_OUT, changed)
    table = JobCount.__table__
    for start in range(0, len(emptied), IDS_PER_STATEMENT):
        chunk = emptied[start : start + IDS_PER_STATEMENT]
        db.session.execute(delete(table).where(counts.among(table.c.id, chunk)))


_TAKE_OUT = (
    update(JobCount.__table__)
    .where(JobCount.__table__.c.id == bindparam("row"))
    .values({name: getattr(JobCount, name) - bindparam(f"{name}_") for name in counts.SUMMED})
)
