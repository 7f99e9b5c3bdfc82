"""The dashboard's pages say what they show: the analyzer and its wording, stale or impossible
filters, counts in the right number, and a map point's text."""

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import EmotionModel, TextRow
from emolytics.wording import plural
from tests.conftest import AuthActions
from tests.web.model_steps import train
from tests.web.uploads import upload

PAGES = ["", "/texts", "/export.csv"]


@pytest.fixture
def tickets_dataset(app, client, auth, dataset_id) -> int:
    """The reviews re-analysed by a trained model whose labels are no emotions."""
    assert train(auth).status_code == 302
    with app.app_context():
        model_id = db.session.scalar(select(EmotionModel.id))
    url = f"/datasets/{dataset_id}"
    assert auth.post(f"{url}/analyze", {"model": str(model_id)}, token_from=url).status_code == 302
    return dataset_id


@pytest.mark.parametrize("page", PAGES)
def test_a_stale_label_is_dropped_with_a_notice(client, tickets_dataset, page):
    url = f"/datasets/{tickets_dataset}{page}"
    response = client.get(f"{url}?label=anger&keyword=tram")
    assert response.status_code == 302
    assert response.location == f"{url}?keyword=tram"
    shown = client.get(f"/datasets/{tickets_dataset}").get_data(as_text=True)
    assert (
        "The results of the model “Tickets” have no label “anger”: that filter was removed."
        in shown
    )


def test_the_json_keeps_its_400_for_a_stale_label(client, tickets_dataset):
    response = client.get(f"/datasets/{tickets_dataset}/summary.json?label=anger")
    assert response.status_code == 400
    assert client.get(f"/datasets/{tickets_dataset}/summary.json?label=bug").status_code == 200


def test_a_trained_model_is_named_and_says_label(client, tickets_dataset):
    page = client.get(f"/datasets/{tickets_dataset}").get_data(as_text=True)
    assert "Labels from the model “Tickets”." in page
    assert "Label distribution" in page and "Labels by keyword" in page
    assert "<label>Label" in page and '<option value="bug">bug</option>' in page
    assert "Emotion" not in page and "emotion" not in page
    texts = client.get(f"/datasets/{tickets_dataset}/texts").get_data(as_text=True)
    assert "<th>Label</th>" in texts and "Emotion" not in texts
    summary = client.get(f"/datasets/{tickets_dataset}/summary.json").json
    assert summary["model"] == {
        "name": "Tickets",
        "emotions": False,
        "noun": "label",
        "languages": ["en"],
    }


def test_the_default_analyzer_is_named_and_says_emotion(client, dataset_id):
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert "Emotions from the default analyzer." in page
    assert "Emotion distribution" in page and "<label>Emotion" in page
    assert '<option value="joy">joy</option>' in page
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["model"] == {
        "name": "Default analyzer",
        "emotions": True,
        "noun": "emotion",
        "languages": ["en"],
    }


@pytest.mark.parametrize("page", ["", "/texts"])
def test_an_end_before_the_start_says_so(client, dataset_id, page):
    response = client.get(f"/datasets/{dataset_id}{page}?start=2026-03-04&end=2026-03-02")
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    assert "The end date (2026-03-02) is before the start date (2026-03-04)" in shown
    assert "texts match" not in shown
    assert 'id="dashboard"' not in shown  # no empty charts


def test_counts_are_in_the_right_number(app, client, auth):
    assert [plural(0, "text"), plural(1, "text"), plural(1234, "row")] == [
        "0 texts",
        "1 text",
        "1,234 rows",
    ]
    assert plural(2, "match", "matches") == "2 matches"
    auth.login()
    response = upload(
        auth, "text,created_at\nfine,2026-01-01\nalso fine,not a date\n", skip_bad_rows="y"
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "1 text uploaded (read as UTF-8); analysis started. 1 unreadable row skipped." in page
    assert "1 text ·" in page
    assert "1 row could not be read and was skipped" in page
    confirm = client.get(response.location + "/delete").get_data(as_text=True)
    assert "Its 1 text, their results" in confirm
    bad_row = 'text,created_at\nfine,2026-01-01\n"",2026-01-02\n'
    refused = upload(auth, bad_row).get_data(as_text=True)
    assert "1 row cannot be read: line 3: no text" in refused


def test_a_map_point_opens_its_text(app, client, auth, dataset_id):
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    with app.app_context():
        ana = db.session.scalar(select(TextRow).where(TextRow.author == "ana"))
    point = next(point for point in summary["map"]["points"] if point[3] == ana.id)
    assert point[:2] == [48.21, 16.37]
    text = client.get(f"/datasets/{dataset_id}/texts/{ana.id}.json")
    assert text.status_code == 200
    assert text.json == {
        "id": ana.id,
        "text": "I love the new #tram, it is soooo fast 😍",
        "label": point[2],
        "posted_at": "2026-03-01T08:00:00Z",
        "url": f"/datasets/{dataset_id}/texts/{ana.id}",
    }
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert f'data-text-url="/datasets/{dataset_id}/texts/{{id}}.json"' in page
    missing = client.get(f"/datasets/{dataset_id}/texts/999999.json")
    assert missing.status_code == 404 and missing.json == {"error": "No such text in this dataset."}
    intruder = AuthActions(app.test_client())
    intruder.register("mallory", "violet harbour 1987")
    assert intruder.client.get(f"/datasets/{dataset_id}/texts/{ana.id}.json").status_code == 404
