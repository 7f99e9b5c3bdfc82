"""A dataset's retention: its texts are kept for a number of days after their time, then taken
out (`taking_out`: with their results and corrections, the counts and map losing them at
once). An hourly task takes out what has passed (`expire_due`); setting or shortening the
retention takes out at once what it has passed already. Texts without a time are kept (their
age is not known). The files a dataset's texts came from are kept on its files page, with the
texts they still have, so an expired export added again is still recognised.
"""

from collections import Counter
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, update

from emolytics.accounts import audit
from emolytics.accounts.audit import Actor, Event, named
from emolytics.extensions import db
from emolytics.pipeline import taking_out
from emolytics.pipeline.datasets import whole_or_nothing
from emolytics.pipeline.taking_out import RemovalRefused
from emolytics.tables import Dataset, DatasetFile, TextRow
from emolytics.wording import plural

MAX_KEEP_DAYS = 36_500
RETENTION = Actor(None, "retention")


class Expired(NamedTuple):
    texts: int
    corrections: int  # the team's corrections of those texts, gone with them
    before: datetime | None  # the texts older than this went (None: no retention)


def check_keep_days(days: int | None) -> int | None:
    """`days` if a dataset may keep its texts that long (None: for ever); ValueError if not."""
    if days is not None and not 1 <= days <= MAX_KEEP_DAYS:
        raise ValueError(
            f"Keep texts for 1 to {MAX_KEEP_DAYS:,} days, or for ever (no number of days)."
        )
    return days


def kept_for(days: int | None) -> str:
    """ "for 90 days", or "for ever", for messages and the audit log."""
    return "for ever" if days is None else f"for {plural(days, 'day')}"


def cutoff(days: int | None, now: datetime) -> datetime | None:
    """The time before which a text is past `days` (None: kept for ever)."""
    return None if days is None else now - timedelta(days=days)


def expiring(dataset: Dataset, days: int | None, now: datetime) -> int:
    """How many of the dataset's texts keeping them `days` would take out now."""
    before = cutoff(days, now)
    if before is None:
        return 0
    return db.session.scalar(
        select(func.count()).where(TextRow.dataset_id == dataset.id, TextRow.posted_at < before)
    )


def keep(dataset: Dataset, days: int | None, now: datetime) -> Expired:
    """Keep the dataset's texts `days` (checked: `check_keep_days`) from now on, and take out
    at once those past it, in one transaction. RemovalRefused (nothing changed) while its texts
    are being analysed or tagged and some would go."""
    with whole_or_nothing():
        dataset.keep_days = check_keep_days(days)
        expired = _expire(dataset, now)
    return expired


def expire_due(now: datetime) -> str:
    """The retention task: take out every dataset's texts past its retention (a dataset being
    analysed waits for the next run); a summary."""
    found = db.session.execute(
        select(Dataset.id).where(Dataset.keep_days.is_not(None)).order_by(Dataset.id)
    ).scalars()
    texts = datasets = waiting = 0
    for dataset_id in list(found):
        dataset = db.session.get(Dataset, dataset_id)
        if dataset is None or dataset.keep_days is None:  # deleted or changed meanwhile
            continue
        try:
            with whole_or_nothing():
                expired = _expire(dataset, now)
                if expired.texts:
                    audit.record(_event(dataset, expired))
        except RemovalRefused:
            waiting += 1
            continue
        texts += expired.texts
        datasets += bool(expired.texts)
    return f"{plural(texts, 'text')} of {plural(datasets, 'dataset')} expired, {waiting} waiting"


def _expire(dataset: Dataset, now: datetime) -> Expired:
    """Take out the dataset's texts past its retention, in the caller's transaction."""
    before = cutoff(dataset.keep_days, now)
    if before is None or not expiring(dataset, dataset.keep_days, now):
        return Expired(0, 0, before)
    job = taking_out.held(dataset, "change the retention")
    past = db.session.execute(
        select(TextRow.id, TextRow.file_id)
        .where(TextRow.dataset_id == dataset.id, TextRow.posted_at < before)
        .order_by(TextRow.id)
    ).all()
    ids = [text_id for text_id, _ in past]
    per_file = Counter(file_id for _, file_id in past if file_id is not None)
    for file_id, gone in per_file.items():  # a file's row stays, with the texts it still has
        db.session.execute(
            update(DatasetFile)
            .where(DatasetFile.id == file_id)
            .values(texts=DatasetFile.texts - gone)
        )
    corrected = taking_out.take_out(dataset, job, ids)
    return Expired(len(ids), corrected, before)


def _event(dataset: Dataset, expired: Expired) -> Event:
    target = (
        f"{plural(expired.texts, 'text')} older than {dataset.keep_days} days of "
        f"{named('dataset', dataset.id, dataset.name)}"
    )
    return Event("dataset.texts_expired", RETENTION, dataset.team_id, target)
