"""Corrections through the API: set, changed and removed; bad requests write nothing."""

from datetime import UTC, datetime

from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.pipeline.ingest import ParsedText
from emolytics.tables import Correction, Dataset
from tests.web.api_calls import call, error_code
from tests.web.correction_steps import _rows_count, _stored_counts, _text, _upload


def test_the_api_sets_changes_and_removes_a_correction(app, client, auth, api):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "Tickets scare me 5")
    url = f"/api/v1/datasets/{dataset_id}/texts/{text_id}/label"
    before = call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json
    answer = call(api, "PUT", url, json={"label": "joy"})
    assert answer.status_code == 200
    text = answer.json
    assert (text["id"], text["label"], text["model_label"], text["corrected"]) == (
        text_id,
        "joy",
        "fear",
        True,
    )
    listed = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected=true").json
    assert listed["texts"] == [text]
    after = call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json
    shares = {row["label"]: row["count"] for row in after["distribution"]}
    old = {row["label"]: row["count"] for row in before["distribution"]}
    assert shares == {**old, "fear": old["fear"] - 1, "joy": old["joy"] + 1}
    assert (before["corrected"], after["corrected"]) == (0, 1)
    assert call(api, "PUT", url, json={"label": "neutral"}).json["label"] == "neutral"
    assert call(api, "DELETE", url).status_code == 204
    assert call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json == before
    again = call(api, "DELETE", url)
    assert again.status_code == 404 and error_code(again) == "not_corrected"


def test_the_api_refuses_bad_requests_and_writes_nothing(app, auth, api):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "Tickets scare me 8")
    url = f"/api/v1/datasets/{dataset_id}/texts/{text_id}/label"
    before = _stored_counts(app, dataset_id)
    unknown = call(api, "PUT", url, json={"label": "bliss"})
    assert unknown.status_code == 422 and error_code(unknown) == "unknown_label"
    assert (
        "anger, disgust, fear, joy, sadness, surprise, neutral" in unknown.json["error"]["message"]
    )
    cases = [
        ({"json": {"label": 3}}, 400, "invalid_label"),
        ({"json": {}}, 400, "invalid_label"),
        ({"json": {"label": "joy", "why": "x"}}, 400, "unknown_field"),
        ({"data": "label=joy"}, 415, "unsupported_media_type"),
    ]
    for kwargs, status, code in cases:
        response = call(api, "PUT", url, **kwargs)
        assert (response.status_code, error_code(response)) == (status, code)
    missing = f"/api/v1/datasets/{dataset_id}/texts/999999/label"
    assert call(api, "PUT", missing, json={"label": "joy"}).status_code == 404
    assert _stored_counts(app, dataset_id) == before and _rows_count(app, Correction) == 0


def test_a_text_not_analysed_yet_cannot_be_corrected(app, auth, api):
    dataset_id = _upload(auth)
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        moment = datetime(2026, 3, 5, tzinfo=UTC)
        [text_id] = datasets.append_texts(dataset, [ParsedText(25, "Just arrived", moment)])
    url = f"/api/v1/datasets/{dataset_id}/texts/{text_id}/label"
    response = call(api, "PUT", url, json={"label": "joy"})
    assert response.status_code == 409 and error_code(response) == "not_analysed"
    assert _rows_count(app, Correction) == 0
