"""The review queue's order: the least sure first, a random text every fourth, in the API."""

import json

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.pipeline import review, review_order
from emolytics.tables import NOT_SCORED, Correction, Dataset
from tests.web.api_calls import call, push
from tests.web.review_texts import TEXTS, _dataset, _key, _results


def test_each_result_keeps_the_gap_between_its_two_best_scores(app):
    results = _results(app, _dataset(app))
    assert len(results) == len(TEXTS)
    for result in results.values():
        if result.label == NOT_SCORED:
            assert result.margin is None
        else:
            best, second = sorted(json.loads(result.scores).values(), reverse=True)[:2]
            assert result.margin == pytest.approx(best - second)


@pytest.fixture(params=[3, review_order.HEAD], ids=["past the kept head", "in the kept head"])
def head(request, monkeypatch) -> None:
    """The queue read from the head each process keeps of an order, and past it."""
    monkeypatch.setattr(review_order, "HEAD", request.param)


def _assert_queue(app: Flask, dataset_id: int, items: list[dict]) -> None:
    """`items`, a review's first texts, are each scored text without a correction once: the
    least sure first, a random one (the smallest key among those not listed) every fourth."""
    results = _results(app, dataset_id)
    with app.app_context():
        corrected = set(db.session.scalars(select(Correction.text_id)))
    scored = {text_id for text_id, result in results.items() if result.label != NOT_SCORED}
    assert sorted(item["id"] for item in items) == sorted(scored - corrected)
    assert [item["sample"] for item in items] == [
        (place + 1) % 4 == 0 for place in range(len(items))
    ]
    unsure = [item for item in items if not item["sample"]]
    ordered = sorted(unsure, key=lambda item: (item["margin"], item["id"]))
    assert [item["id"] for item in unsure] == [item["id"] for item in ordered]
    for place, item in enumerate(items):
        if item["sample"]:  # the smallest key among the texts not listed before it
            rest = scored - corrected - {earlier["id"] for earlier in items[:place]}
            assert item["id"] == min(rest, key=lambda text_id: _key(dataset_id, text_id))
        assert item["margin"] == pytest.approx(results[item["id"]].margin)
        assert item["corrected"] is False and item["label"] == item["model_label"]


def test_the_queue_puts_the_least_sure_first_and_a_random_text_every_fourth(app, api, head):
    dataset_id = _dataset(app)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=100").json

    assert len(answer["items"]) == 16
    _assert_queue(app, dataset_id, answer["items"])
    assert answer["reviewed"] == 0 and answer["remaining"] == 16

    first = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=5").json["items"]
    assert first == answer["items"][:5]


def test_the_queue_follows_corrections_and_the_live_feed(app, api, head):
    dataset_id = _dataset(app)
    url = f"/api/v1/datasets/{dataset_id}/review?limit=100"
    before = call(api, "GET", url).json["items"]
    # a correction takes its text out of the queue, and removing it puts the text back
    label_url = f"/api/v1/datasets/{dataset_id}/texts/{before[1]['id']}/label"
    assert call(api, "PUT", label_url, json={"label": "anger"}).status_code == 200
    corrected = call(api, "GET", url).json["items"]
    assert len(corrected) == 15 and before[1]["id"] not in {item["id"] for item in corrected}
    _assert_queue(app, dataset_id, corrected)
    assert call(api, "DELETE", label_url).status_code == 204
    assert call(api, "GET", url).json["items"] == before

    # texts pushed to the analysis join the queue in their places
    pushed = [{"text": f"The tram today: {word}, or not {word}"} for word in ("meh", "lovely")]
    assert push(api, dataset_id, pushed).status_code == 201
    after = call(api, "GET", url).json["items"]
    assert len(after) == 18
    _assert_queue(app, dataset_id, after)


def test_the_queue_continues_the_review_and_leaves_corrected_texts_out(app, api, head):
    dataset_id = _dataset(app)
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        listed = review.queue(dataset, 16)
        user_id = registration.find_user("ada").id
        for item in listed[:3]:
            model_label = _results(app, dataset_id)[item.text_id].label
            review.label(dataset, item.text_id, model_label, user_id, item.sample)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=3").json
    # the 4th text reviewed is drawn at random: the next one listed is
    assert [item["sample"] for item in answer["items"]] == [True, False, False]
    assert answer["items"][0]["id"] == listed[3].text_id
    assert answer["reviewed"] == 3 and answer["remaining"] == 13
