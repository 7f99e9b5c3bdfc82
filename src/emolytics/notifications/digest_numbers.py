"""A digest's numbers, from the stored counts (`job_counts`) of the datasets' current analyses:
never a scan of the texts. Texts without a time are in no period; texts the model does not
read (their language) are left out, as on the dashboard."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline.periods import LabelChange, changes
from emolytics.tables import NOT_SCORED, Alert, AlertRule, Annotation, Dataset, JobCount

SEGMENTS = 8  # the segments a digest lists, the most texts first


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime
    end: datetime  # exclusive

    @property
    def previous(self) -> "Period":
        return Period(self.start - (self.end - self.start), self.start)

    @property
    def step(self) -> timedelta:
        """The volume line's step: hours for a day, days for a week."""
        return timedelta(hours=1) if self.end - self.start <= timedelta(days=1) else timedelta(1)


def period_of(kind: str, now: datetime) -> Period:
    """The latest whole period of `kind` ("daily" or "weekly") before `now`: the previous UTC
    day, or the previous Monday to Sunday."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "daily":
        return Period(today - timedelta(days=1), today)
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday)


@dataclass(frozen=True, slots=True)
class SegmentNumbers:
    """A segment's texts per emotion in the period and in the one before."""

    segment: str
    mix: dict[str, int]
    previous_mix: dict[str, int]

    @property
    def texts(self) -> int:
        return sum(self.mix.values())

    @property
    def previous_texts(self) -> int:
        return sum(self.previous_mix.values())

    def most_changed(self) -> LabelChange | None:
        """The emotion whose share changed most of those that changed significantly (None:
        none did)."""
        labels = list(dict.fromkeys([*self.mix, *self.previous_mix]))
        found = changes(labels, self.mix, self.previous_mix)
        significant = [change for change in found if change.significant and change.change]
        return max(significant, key=lambda change: abs(change.change or 0), default=None)


@dataclass(frozen=True, slots=True)
class Numbers:
    texts: int
    previous_texts: int
    mix: list[tuple[str, int]]  # (emotion, texts), most first
    previous_mix: dict[str, int]
    volume: list[tuple[datetime, int]]  # one per step of the period, zeros included
    alerts: list[tuple[Alert, AlertRule, str]]  # raised in the period, with the dataset's name
    notes: list[tuple[datetime, str, str]]  # annotations in the period: (at, note, dataset)
    # the segments with the most texts in the period (`SEGMENTS`), and how many others had some
    segments: list[SegmentNumbers] = field(default_factory=list)
    other_segments: int = 0

    def changes(self) -> dict[str, LabelChange]:
        """Each emotion's share now against the previous period's, and whether the change is
        significant (as the dashboard's comparison says it)."""
        labels = [*dict(self.mix), *self.previous_mix]
        found = changes(list(dict.fromkeys(labels)), dict(self.mix), self.previous_mix)
        return {change.label: change for change in found}


def current_jobs(dataset_ids: list[int]) -> list[int]:
    return list(
        db.session.scalars(
            select(Dataset.current_job_id).where(
                Dataset.id.in_(dataset_ids), Dataset.current_job_id.is_not(None)
            )
        )
    )


def _by_label(job_ids: list[int], period: Period) -> dict[str, int]:
    rows = db.session.execute(
        select(JobCount.label, func.sum(JobCount.texts))
        .where(*_kept(job_ids, period))
        .group_by(JobCount.label)
    )
    return {label: int(texts) for label, texts in rows}


def _kept(job_ids: list[int], period: Period) -> list:
    return [
        JobCount.job_id.in_(job_ids),
        JobCount.keyword == "",
        JobCount.also == "",
        JobCount.label != NOT_SCORED,
        JobCount.hour >= period.start,
        JobCount.hour < period.end,
    ]


def _by_segment(
    job_ids: list[int], period: Period, segments: list[str] | None = None
) -> dict[str, dict[str, int]]:
    """The texts of each segment (of `segments`; None: all) per label in the period."""
    statement = (
        select(JobCount.segment, JobCount.label, func.sum(JobCount.texts))
        .where(*_kept(job_ids, period), JobCount.segment != "")
        .group_by(JobCount.segment, JobCount.label)
    )
    if segments is not None:
        statement = statement.where(JobCount.segment.in_(segments))
    found: dict[str, dict[str, int]] = {}
    for segment, label, texts in db.session.execute(statement):
        found.setdefault(segment, {})[label] = int(texts)
    return found


def _segments(job_ids: list[int], period: Period) -> tuple[list[SegmentNumbers], int]:
    """The `SEGMENTS` segments with the most texts in the period, and how many others."""
    now = _by_segment(job_ids, period)
    ranked = sorted(now, key=lambda segment: (-sum(now[segment].values()), segment))
    listed = ranked[:SEGMENTS]
    before = _by_segment(job_ids, period.previous, listed) if listed else {}
    found = [SegmentNumbers(name, now[name], before.get(name, {})) for name in listed]
    return found, len(ranked) - len(listed)


def _by_hour(job_ids: list[int], period: Period) -> list[tuple[datetime, int]]:
    rows = db.session.execute(
        select(JobCount.hour, func.sum(JobCount.texts))
        .where(*_kept(job_ids, period))
        .group_by(JobCount.hour)
    )
    steps: dict[datetime, int] = {}
    moment = period.start
    while moment < period.end:
        steps[moment] = 0
        moment += period.step
    for hour, texts in rows:
        steps[period.start + period.step * ((hour - period.start) // period.step)] += int(texts)
    return list(steps.items())


def numbers(dataset_ids: list[int], period: Period) -> Numbers:
    """The period's numbers over the datasets (one, or every dataset of a team)."""
    job_ids = current_jobs(dataset_ids)
    now, before = _by_label(job_ids, period), _by_label(job_ids, period.previous)
    segments, others = _segments(job_ids, period)
    alerts = db.session.execute(
        select(Alert, AlertRule, Dataset.name)
        .join(AlertRule, AlertRule.id == Alert.rule_id)
        .join(Dataset, Dataset.id == Alert.dataset_id)
        .where(
            Alert.dataset_id.in_(dataset_ids),
            Alert.window_start >= period.start,
            Alert.window_start < period.end,
        )
        .order_by(Alert.window_start, Alert.id)
    ).all()
    return Numbers(
        texts=sum(now.values()),
        previous_texts=sum(before.values()),
        mix=sorted(now.items(), key=lambda item: (-item[1], item[0])),
        previous_mix=before,
        volume=_by_hour(job_ids, period),
        alerts=[(alert, rule, name) for alert, rule, name in alerts],
        notes=_notes(dataset_ids, period),
        segments=segments,
        other_segments=others,
    )


def _notes(dataset_ids: list[int], period: Period) -> list[tuple[datetime, str, str]]:
    """What the team noted on the datasets' timelines in the period, earliest first."""
    rows = db.session.execute(
        select(Annotation.at, Annotation.note, Dataset.name)
        .join(Dataset, Dataset.id == Annotation.dataset_id)
        .where(
            Annotation.dataset_id.in_(dataset_ids),
            Annotation.at >= period.start,
            Annotation.at < period.end,
        )
        .order_by(Annotation.at, Annotation.id)
    )
    return [(at, note, name) for at, note, name in rows]
