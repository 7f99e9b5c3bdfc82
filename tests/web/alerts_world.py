"""Datasets with weeks of analysed texts for the alert tests: texts and their results inserted
in bulk into an analysis (as if the model had labelled them), then counted as an analysis's
counts are."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import insert, text

from emolytics.extensions import db
from emolytics.pipeline import counts, datasets
from emolytics.tables import Dataset, Job, JobKind, JobStatus, Result, TextRow

NOW = datetime(2026, 12, 3, 14, 20, tzinfo=UTC)  # the clock the checks are run at
LATEST = NOW.replace(minute=0)  # the end of the latest complete hour then
HOUR = timedelta(hours=1)
LABELS = ("anger", "joy", "sadness", "neutral")
VALENCE = {"anger": -0.6, "joy": 0.7, "sadness": -0.5, "neutral": 0.0}


def flat_hours(per_hour: int = 40, anger: float = 0.1) -> Callable[[int], dict[str, int]]:
    """Every hour the same: `per_hour` texts, `anger` of them angry, the rest spread evenly."""

    def hour(_: int) -> dict[str, int]:
        angry = round(per_hour * anger)
        rest = per_hour - angry
        return {
            "anger": angry,
            "joy": rest // 3,
            "sadness": rest // 3,
            "neutral": rest - 2 * (rest // 3),
        }

    return hour


def random_hours(
    seed: int, per_hour: int = 40, anger: float = 0.1
) -> Callable[[int], dict[str, int]]:
    """Poisson volume, multinomial mix: an honest feed with nothing happening."""
    rng = np.random.default_rng(seed)
    shares = [anger] + [(1 - anger) / 3] * 3

    def hour(_: int) -> dict[str, int]:
        drawn = rng.multinomial(rng.poisson(per_hour), shares)
        return dict(zip(LABELS, (int(count) for count in drawn), strict=True))

    return hour


def build(
    team_id: int,
    hours: int,
    mix: Callable[[int], dict[str, int]],
    end: datetime = LATEST,
    source: str = "api",
    keywords: tuple[str, ...] = (),
) -> int:
    """A dataset whose analysis has `hours` hours of texts ending at `end` (hour i: `mix(i)`
    texts per label); its id."""
    dataset = datasets.create_feed(team_id, "Listening feed", keywords)
    dataset.source = source
    job = Job(team_id=team_id, kind=JobKind.ANALYSIS, dataset_id=dataset.id, status=JobStatus.DONE)
    db.session.add(job)
    db.session.flush()
    dataset.current_job_id = job.id
    start = end - timedelta(hours=hours)
    add_hours(dataset, job.id, start, [mix(index) for index in range(hours)])
    return dataset.id


def add_hours(
    dataset: Dataset,
    job_id: int,
    start: datetime,
    hours: list[dict[str, int]],
    segment: str | None = None,
) -> None:
    """Texts (of `segment`) and results for each hour from `start` (spread over the hour),
    counted afresh."""
    texts, results = [], []
    next_id = (db.session.query(db.func.max(TextRow.id)).scalar() or 0) + 1
    for index, labels in enumerate(hours):
        moment = start + timedelta(hours=index)
        for label, count in labels.items():
            for number in range(count):
                posted = moment + timedelta(seconds=(number * 37) % 3600)
                texts.append(
                    {
                        "id": next_id,
                        "dataset_id": dataset.id,
                        "line": next_id,
                        "text": f"{label} {number}",
                        "posted_at": posted,
                        "segment": segment,
                    }
                )
                results.append(
                    {
                        "job_id": job_id,
                        "text_id": next_id,
                        "label": label,
                        "confidence": 0.9,
                        "valence": VALENCE[label],
                        "scores": "{}",
                    }
                )
                next_id += 1
    if texts:
        db.session.execute(insert(TextRow), texts)
        db.session.execute(insert(Result), results)
        if db.engine.dialect.name == "postgresql":  # the ids given: the next one is past them
            db.session.execute(
                text("SELECT setval(pg_get_serial_sequence('texts', 'id'), max(id)) FROM texts")
            )
    dataset.row_count = (dataset.row_count or 0) + len(texts)
    counts.count_results(job_id, dataset.id)
    db.session.commit()
