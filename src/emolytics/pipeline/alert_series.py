"""The hourly series an alert rule watches, read from the counts of a dataset's current
analysis (`job_counts`), never from its texts.

Every text: the rows with keyword '' and also ''; the texts mentioning keyword K: keyword ''
and also K; those of segment S (alone or with K): the same rows of segment S. Only the rows
of a label are read (texts not scored, label '', have no valence and no emotion: a window's
volume and mean are those of its scored texts). An hour without rows is an hour without texts
(zeros); the hours before the dataset's oldest text are not read.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, select

from emolytics import alerts
from emolytics.extensions import db
from emolytics.tables import NOT_SCORED, AlertRule, JobCount

HOUR = timedelta(hours=1)
HISTORY = timedelta(days=28)  # the detector's four weeks (alerts.baseline.MAX_HISTORY_HOURS)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Scope = tuple[str | None, str | None]  # the texts a rule watches: its keyword, its segment


def scope_of(rule: AlertRule) -> Scope:
    return rule.keyword, rule.segment


def align(moment: datetime, length: timedelta) -> datetime:
    """The start of the `length`-long window `moment` falls in (windows aligned on the Unix
    epoch, as the scheduler's periods are: a day starts at 00:00 UTC)."""
    return EPOCH + length * ((moment - EPOCH) // length)


@dataclass(frozen=True)
class Series:
    """The hours [start, start + len(texts)) of one analysis, of every text or of those a rule
    watches (a keyword's, a segment's)."""

    start: datetime
    texts: np.ndarray
    by_label: dict[str, np.ndarray]
    valence_sum: np.ndarray
    valence_squares: np.ndarray

    def hours(self, rule: AlertRule, end: datetime) -> alerts.Hours | None:
        """What the detector reads for `rule`'s window ending at `end`: four weeks of history
        before it, and the window; None when the window began before the dataset did."""
        length = HOUR * (rule.window_minutes // 60)
        if end - length < self.start:
            return None
        first = max(end - HISTORY - length, self.start)
        kept = slice((first - self.start) // HOUR, (end - self.start) // HOUR)
        emotion = None
        if rule.emotion is not None:
            emotion = self.by_label.get(rule.emotion, np.zeros(len(self.texts), int))[kept]
        valence = rule.metric == alerts.Metric.VALENCE
        return alerts.Hours(
            first,
            texts=self.texts[kept].tolist(),
            emotion=None if emotion is None else emotion.tolist(),
            valence_sum=self.valence_sum[kept].tolist() if valence else None,
            valence_squares=self.valence_squares[kept].tolist() if valence else None,
        )


def read(job_id: int, scope: Scope, start: datetime, end: datetime) -> Series:
    """The hours [start, end) of the analysis `job_id` (of the texts in `scope`), from its oldest
    text's hour at the earliest: the hours before a dataset began are no history."""
    keyword, segment = scope
    oldest = db.session.scalar(
        select(func.min(JobCount.hour)).where(
            JobCount.job_id == job_id, JobCount.keyword == "", JobCount.also == ""
        )
    )
    if oldest is not None:
        start = min(max(start, oldest), end)
    size = (end - start) // HOUR
    texts = np.zeros(size, int)
    sums, squares = np.zeros(size), np.zeros(size)
    by_label: dict[str, np.ndarray] = {}
    statement = (
        select(
            JobCount.hour,
            JobCount.label,
            func.sum(JobCount.texts),
            func.sum(JobCount.valence_sum),
            func.sum(JobCount.valence_squares),
        )
        .where(
            JobCount.job_id == job_id,
            JobCount.keyword == "",
            JobCount.also == (keyword or ""),
            JobCount.label != NOT_SCORED,
            JobCount.hour >= start,
            JobCount.hour < end,
        )
        .group_by(JobCount.hour, JobCount.label)
    )
    if segment is not None:
        statement = statement.where(JobCount.segment == segment)
    for hour, label, count, valence_sum, valence_squares in db.session.execute(statement):
        index = (hour - start) // HOUR
        texts[index] += count
        sums[index] += valence_sum or 0.0
        squares[index] += valence_squares or 0.0
        by_label.setdefault(label, np.zeros(size, int))[index] += count
    return Series(start, texts, by_label, sums, squares)


def newest_hour(job_id: int) -> datetime | None:
    """The hour of the analysis's newest text (None: no text has a time)."""
    return db.session.scalar(
        select(func.max(JobCount.hour)).where(
            JobCount.job_id == job_id, JobCount.keyword == "", JobCount.also == ""
        )
    )


class Reader:
    """Series read once per analysis and scope for one batch of rules: rules on the same dataset
    and scope share one query, over the hours all of them need (`plan` each first)."""

    def __init__(self) -> None:
        self.planned: dict[tuple[int, Scope], tuple[datetime, datetime]] = {}
        self.read: dict[tuple[int, Scope], Series] = {}

    def plan(self, job_id: int, rule: AlertRule, start: datetime, end: datetime) -> None:
        key = (job_id, scope_of(rule))
        known = self.planned.get(key)
        if known is not None:
            start, end = min(start, known[0]), max(end, known[1])
        self.planned[key] = (start, end)

    def series(self, job_id: int, rule: AlertRule) -> Series:
        key = (job_id, scope_of(rule))
        if key not in self.read:
            self.read[key] = read(*key, *self.planned[key])
        return self.read[key]
