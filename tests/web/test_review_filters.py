"""The review of a view: the dashboard's filters keep the texts the queue takes (a label's, a
search's), all of them least sure first, none drawn at random; the page and its forms keep the
view, and the dashboard and the texts table link to it."""

from collections import Counter
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.pipeline import review, review_order
from emolytics.tables import NOT_SCORED, Correction, Dataset
from tests.web.api_calls import call, error_code
from tests.web.review_texts import TEXTS, _dataset, _hidden, _post, _results, _shown


def _commonest_label(app: Flask, dataset_id: int) -> tuple[str, list[int]]:
    """The label the model gave most texts, and those texts, least sure first."""
    results = _results(app, dataset_id)
    scored = [result for result in results.values() if result.label != NOT_SCORED]
    label, _ = Counter(result.label for result in scored).most_common(1)[0]
    kept = sorted((r for r in scored if r.label == label), key=lambda r: (r.margin, r.text_id))
    return label, [result.text_id for result in kept]


@pytest.fixture(params=[2, review_order.HEAD], ids=["past the kept head", "in the kept head"])
def head(request, monkeypatch) -> None:
    monkeypatch.setattr(review_order, "HEAD", request.param)


def test_the_api_queues_the_texts_a_filter_keeps_least_sure_first(app, api, head):
    dataset_id = _dataset(app)
    label, kept = _commonest_label(app, dataset_id)
    assert 2 < len(kept) < len(TEXTS) - 1  # a view, not the whole dataset
    url = f"/api/v1/datasets/{dataset_id}/review?limit=100&label={label}"
    answer = call(api, "GET", url).json
    assert [item["id"] for item in answer["items"]] == kept
    assert not any(item["sample"] for item in answer["items"])  # no draw in a view
    assert (answer["remaining"], answer["filters"]) == (len(kept), {"label": label})

    label_url = f"/api/v1/datasets/{dataset_id}/texts/{kept[0]}/label"
    assert call(api, "PUT", label_url, json={"label": label}).status_code == 200
    after = call(api, "GET", url).json
    assert [item["id"] for item in after["items"]] == kept[1:]
    assert after["remaining"] == len(kept) - 1
    whole = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=100").json
    assert whole["remaining"] == len(TEXTS) - 2 and whole["filters"] == {}  # the German text

    searched = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?q=terrified").json
    assert [unescape(item["text"]) for item in searched["items"]] == [
        "The tram today: terrified, really terrified"
    ]
    assert searched["remaining"] == 1


def test_a_view_takes_the_place_of_a_draw(app, api):
    """Three texts reviewed: the whole dataset's next place is drawn at random, a view's is
    its least sure text."""
    dataset_id = _dataset(app)
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        user_id = registration.find_user("ada").id
        for item in review.queue(dataset, 3):
            review.label(dataset, item.text_id, "joy", user_id, item.sample)
    url = f"/api/v1/datasets/{dataset_id}/review?limit=1"
    assert call(api, "GET", url).json["items"][0]["sample"] is True
    with app.app_context():
        corrected = set(db.session.scalars(select(Correction.text_id)))
    label, kept = _commonest_label(app, dataset_id)
    viewed = call(api, "GET", f"{url}&label={label}").json["items"]
    assert viewed[0]["sample"] is False
    assert viewed[0]["id"] == next(text_id for text_id in kept if text_id not in corrected)


def test_a_bad_filter_is_refused(app, api):
    dataset_id = _dataset(app)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?label=smug")
    assert (answer.status_code, error_code(answer)) == (400, "unknown_label")
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?start=soon")
    assert answer.status_code == 400


def test_the_page_reviews_the_view_and_its_forms_keep_it(app, auth):
    dataset_id = _dataset(app)
    label, kept = _commonest_label(app, dataset_id)
    auth.login()
    url = f"/datasets/{dataset_id}/review?label={label}"
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (kept[0], False)
    assert f"Reviewing the texts of this view only: emotion “{label}”." in page
    assert f"{len(kept)} remaining in this view" in page
    # the text's own page opens in the same view: its neighbours are the view's
    assert f'href="/datasets/{dataset_id}/texts/{kept[0]}?label={label}">' in page

    label_url = f"/datasets/{dataset_id}/review?label={label}"  # the form's action keeps it
    _post(auth, label_url, page, label=label)
    response = auth.client.get(url)
    page = response.get_data(as_text=True)
    assert _shown(page) == (kept[1], False)
    assert f"{len(kept) - 1} remaining in this view" in page
    skip_url = f"/datasets/{dataset_id}/review/skip?label={label}"
    skipped = auth.client.post(skip_url, data=_hidden(page, skip_url))
    assert skipped.headers["Location"] == url  # back to the view
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (kept[2], False)
    undo_url = f"/datasets/{dataset_id}/review/undo?label={label}"
    undo = auth.client.post(undo_url, data=_hidden(page, undo_url))
    assert undo.headers["Location"] == url
    assert _shown(auth.client.get(url).get_data(as_text=True))[0] == kept[0]  # back to it

    whole = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "this view" not in whole and "one text in 4 is drawn at random" in whole


def test_the_dashboard_and_the_texts_table_link_to_the_review_of_their_view(app, auth):
    dataset_id = _dataset(app)
    label, _ = _commonest_label(app, dataset_id)
    auth.login()
    review_url = f"/datasets/{dataset_id}/review?label={label}"
    dashboard = auth.client.get(f"/datasets/{dataset_id}?label={label}").get_data(as_text=True)
    assert f'href="{review_url}"' in dashboard
    texts = auth.client.get(f"/datasets/{dataset_id}/texts?label={label}").get_data(as_text=True)
    assert f'href="{review_url}"' in texts and ">review them</a>" in texts
    every = auth.client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert f'href="/datasets/{dataset_id}/review"' in every and ">review every text</a>" in every
