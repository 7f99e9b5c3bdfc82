"""The model's agreement with the reviewers: a Wilson interval on the texts drawn at random."""

import pytest
from flask import Flask

from emolytics.engine import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import corrections, review_progress
from emolytics.tables import NOT_SCORED, CorrectionSource, Dataset
from tests.web.api_calls import call
from tests.web.review_texts import _dataset, _key, _results


def _other(label: str) -> str:
    return next(emotion for emotion in EMOTIONS if emotion != label)


def _agreement_fixture(app: Flask, samples: int) -> int:
    """`samples` texts drawn at random (the smallest keys; the 4th corrected on its text page
    before the draw reached it), 80 % of them agreeing with the model (rounded down); then 5
    texts reviewed for being unsure (1 agreeing) and one corrected on its page, with keys past
    the last one drawn."""
    dataset_id = _dataset(app)
    results = _results(app, dataset_id)
    scored = sorted(
        (text_id for text_id, result in results.items() if result.label != NOT_SCORED),
        key=lambda text_id: _key(dataset_id, text_id),
    )
    agreeing = int(samples * 0.8)
    plan = [
        (text_id, CorrectionSource.TEXT if n == 3 else CorrectionSource.SAMPLE, n < agreeing)
        for n, text_id in enumerate(scored[:samples])
    ]
    plan += [(text_id, CorrectionSource.REVIEW, n == 0) for n, text_id in enumerate(scored[-5:])]
    plan.append((scored[-6], CorrectionSource.TEXT, False))
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        for text_id, source, agrees in plan:
            model_label = results[text_id].label
            label = model_label if agrees else _other(model_label)
            corrections.correct(dataset, text_id, label, None, source)
    return dataset_id


def test_agreement_on_the_random_sample_has_a_wilson_interval(app, api, auth):
    dataset_id = _agreement_fixture(app, samples=10)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json
    sample = answer["agreement"]["sample"]
    assert (sample["agreed"], sample["texts"], sample["rate"]) == (8, 10, 0.8)
    assert sample["low"] == pytest.approx(0.4902, abs=1e-4)
    assert sample["high"] == pytest.approx(0.9433, abs=1e-4)
    # every reviewed text: the 9 drawn and the 5 unsure (not those corrected on their page)
    assert answer["agreement"]["reviewed"] == {
        "agreed": 8,
        "texts": 14,
        "rate": pytest.approx(8 / 14),
        "low": pytest.approx(0.3259, abs=1e-4),
        "high": pytest.approx(0.7862, abs=1e-4),
    }
    assert (answer["reviewed"], answer["remaining"]) == (14, 0)

    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "Estimated accuracy on this dataset: <strong>80 %</strong>" in page
    assert "(95 % interval 49 % to 94 %)" in page
    assert "On the hardest texts: it agreed on 8 of the 14 texts reviewed (57 %)" in page


def test_too_small_a_sample_has_no_interval(app, api, auth):
    dataset_id = _agreement_fixture(app, samples=9)
    sample = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json["agreement"]["sample"]
    assert (sample["agreed"], sample["texts"], sample["low"], sample["high"]) == (7, 9, None, None)
    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "Too few texts drawn at random are reviewed yet" in page
    assert "9 of the 10 needed (7 agreed)" in page


def test_wilson_interval_known_values():
    assert review_progress.wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert review_progress.wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert review_progress.wilson(50, 50) == pytest.approx((0.9287, 1.0), abs=1e-4)
