"""The team's home at a glance: each dataset's emotion mix, mean valence and latest text, from
the stored counts of its current analysis (`job_counts`, never its texts), and the alerts its
rules raised lately. Texts the model does not read (their language) are left out, as on the
dataset's dashboard; a corrected text counts under its correction."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from emolytics import caching
from emolytics.engine.labels import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import alert_pages
from emolytics.tables import NOT_SCORED, Alert, Dataset, JobCount, utcnow

RECENT = timedelta(days=7)  # the alerts counted: those raised this long ago at most


@dataclass(frozen=True, slots=True)
class Mix:
    shares: list[tuple[str, float]]  # (label, share of the scored texts), emotions' order first
    valence: float  # their mean
    latest: datetime | None  # the latest time a text bears (None: none has one)

    @property
    def leading(self) -> list[tuple[str, float]]:
        """The two labels with the largest shares, the largest first."""
        return sorted(self.shares, key=lambda item: -item[1])[:2]


@dataclass(frozen=True, slots=True)
class Glance:
    mixes: dict[int, Mix]  # by dataset id; none for a dataset without scored texts
    alerts: dict[int, int]  # by dataset id: alerts raised within RECENT; none for none


def of_team(team_id: int) -> Glance:
    """The team's datasets at a glance: from the short-lived cache, which any write to the
    datasets or jobs beats (`caching.DATASETS`), any correction (`caching.CORRECTIONS`) and
    any alert the team's rules raise (`alert_pages.guard`), else in two grouped reads."""
    guards = (caching.DATASETS, caching.CORRECTIONS, alert_pages.guard(team_id))
    return caching.cache().lookup(("glance", str(team_id)), guards, lambda: read(team_id))


def read(team_id: int) -> Glance:
    """`of_team`, read afresh."""
    return Glance(_mixes(team_id), _alerts(team_id))


def _mixes(team_id: int) -> dict[int, Mix]:
    rows = db.session.execute(
        select(
            Dataset.id,
            JobCount.label,
            func.sum(JobCount.texts).label("texts"),
            func.sum(JobCount.valence_sum).label("valence_sum"),
            func.max(JobCount.last_at).label("last_at"),
        )
        .join(JobCount, JobCount.job_id == Dataset.current_job_id)
        .where(
            Dataset.team_id == team_id,
            JobCount.keyword == "",
            JobCount.also == "",
            JobCount.label != NOT_SCORED,
        )
        .group_by(Dataset.id, JobCount.label)
    ).all()
    per_dataset: dict[int, list[Any]] = {}
    for row in rows:
        if row.texts:
            per_dataset.setdefault(row.id, []).append(row)
    return {dataset_id: _mix(found) for dataset_id, found in per_dataset.items()}


def _mix(rows: list[Any]) -> Mix:
    texts = sum(row.texts for row in rows)
    ordered = sorted(rows, key=lambda row: (_place(row.label), row.label))
    lasts = [row.last_at for row in rows if row.last_at is not None]
    return Mix(
        [(row.label, row.texts / texts) for row in ordered],
        sum(row.valence_sum for row in rows) / texts,
        max(lasts, default=None),
    )


def _place(label: str) -> int:
    """Where a label's share stands in a mix: the emotions in their usual order, then others."""
    return EMOTIONS.index(label) if label in EMOTIONS else len(EMOTIONS)


def _alerts(team_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(Alert.dataset_id, func.count())
        .where(Alert.team_id == team_id, Alert.created_at >= utcnow() - RECENT)
        .group_by(Alert.dataset_id)
    ).all()
    return {dataset_id: count for dataset_id, count in rows}
