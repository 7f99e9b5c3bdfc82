"""The valence sums an analysis's counts keep for the alert rules: added to, and moved."""

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import corrections, counts
from emolytics.tables import Dataset, JobCount, Result, TextRow
from tests.conftest import team_of
from tests.web.alerts_world import HOUR, NOW, VALENCE, add_hours, build, flat_hours


def test_counts_keep_the_valence_sums_of_scored_texts(app):
    with app.app_context():
        dataset_id = build(team_of("ada"), 2, flat_hours(40, 0.1))
        dataset = db.session.get(Dataset, dataset_id)
        row = db.session.execute(
            select(func.sum(JobCount.valence_sum), func.sum(JobCount.valence_squares)).where(
                JobCount.job_id == dataset.current_job_id,
                JobCount.keyword == "",
                JobCount.also == "",
                JobCount.label == "anger",
            )
        ).one()
        assert row[0] == pytest.approx(8 * VALENCE["anger"])
        assert row[1] == pytest.approx(8 * VALENCE["anger"] ** 2)
        # the live feed adds to them
        add_hours(dataset, dataset.current_job_id, NOW.replace(minute=0), [{"anger": 1}])
        added = select(func.sum(JobCount.valence_sum)).where(
            JobCount.job_id == dataset.current_job_id,
            JobCount.label == "anger",
            JobCount.keyword == "",
        )
        assert db.session.scalar(added.where(JobCount.also == "")) == pytest.approx(9 * -0.6)


def test_the_live_feed_adds_valence_sums_to_existing_hours(app):
    with app.app_context():
        dataset_id = build(team_of("ada"), 1, flat_hours(10, 0.1))
        dataset = db.session.get(Dataset, dataset_id)
        job_id = dataset.current_job_id
        before = db.session.scalar(select(func.max(JobCount.id)))
        start = NOW.replace(minute=0) - HOUR
        db.session.add(
            TextRow(id=10_000, dataset_id=dataset.id, line=1, text="joy", posted_at=start)
        )
        db.session.add(
            Result(
                job_id=job_id, text_id=10_000, label="joy", confidence=1, valence=0.5, scores="{}"
            )
        )
        db.session.flush()
        counts.add(job_id, dataset.id, [10_000])
        db.session.commit()
        joy = db.session.scalar(
            select(JobCount).where(
                JobCount.job_id == job_id,
                JobCount.keyword == "",
                JobCount.also == "",
                JobCount.label == "joy",
            )
        )
        assert joy.id <= before  # added to the hour's row, not a new one
        assert joy.valence_sum == pytest.approx(3 * 0.7 + 0.5)
        assert joy.valence_squares == pytest.approx(3 * 0.49 + 0.25)


def test_a_correction_moves_its_texts_valence_to_the_new_label(app):
    with app.app_context():
        dataset_id = build(team_of("ada"), 1, flat_hours(10, 0.1))
        dataset = db.session.get(Dataset, dataset_id)
        angry = db.session.scalar(
            select(Result.text_id).where(
                Result.job_id == dataset.current_job_id, Result.label == "anger"
            )
        )
        corrections.correct(dataset, angry, "joy", None)

        def sums(label: str) -> tuple[float, float]:
            row = db.session.execute(
                select(func.sum(JobCount.valence_sum), func.sum(JobCount.valence_squares)).where(
                    JobCount.job_id == dataset.current_job_id,
                    JobCount.keyword == "",
                    JobCount.also == "",
                    JobCount.label == label,
                )
            ).one()
            return (row[0] or 0.0, row[1] or 0.0)

        assert sums("anger") == (0.0, 0.0)
        assert sums("joy") == (pytest.approx(3 * 0.7 - 0.6), pytest.approx(3 * 0.49 + 0.36))
