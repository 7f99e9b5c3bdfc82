"""Languages in every view: stored per text, texts not read marked, counted apart, filtered."""

import csv
import io
import json
import re

import pytest
from sqlalchemy import select, update

from emolytics.extensions import db
from emolytics.pipeline import filters, map_points
from emolytics.tables import NOT_SCORED, Dataset, JobCount, JobPoint, TextRow
from tests.web.api_calls import call, new_feed, push, upload
from tests.web.multilingual import MULTILINGUAL, _stored, _upload

NOT_READ = 3  # German, French and Spanish: the default analyzer reads English only
# Reflecting `users` skips its lower-cased username index, which the migration test does not need.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
BAD_LANGUAGE = "language must be a language code such as en or de (ISO 639-1), or und"


def test_each_texts_language_is_stored_and_foreign_texts_are_not_scored(app, auth):
    stored = _stored(app, _upload(auth))
    assert {text: language for text, (language, _) in stored.items()} == dict(MULTILINGUAL)
    not_scored = {text for text, (_, label) in stored.items() if label == NOT_SCORED}
    assert not_scored == {text for text, language in MULTILINGUAL[1:4]}
    assert stored["ok"][1] != NOT_SCORED  # undetermined: scored, the benefit of the doubt


def test_the_pages_mark_texts_not_scored(app, client, auth):
    dataset_id = _upload(auth)
    table = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert table.count("not scored (language)") == NOT_READ
    assert "6 texts match" in table
    assert "<td>de</td>" in table
    undetermined = "Undetermined: too short to tell, or the detector was unsure"
    assert f'<td><abbr title="{undetermined}">und</abbr></td>' in table
    with app.app_context():
        german = db.session.scalar(select(TextRow.id).where(TextRow.text.like("Ich freue%")))
        english = db.session.scalar(select(TextRow.id).where(TextRow.text.like("I love%")))
        short = db.session.scalar(select(TextRow.id).where(TextRow.text == "ok"))
    page = client.get(f"/datasets/{dataset_id}/texts/{german}").get_data(as_text=True)
    assert "Emotion: not scored (language)" in page
    assert "Language: de" in page
    assert "The default analyzer reads en only" in page
    assert "Valence" not in page
    page = client.get(f"/datasets/{dataset_id}/texts/{english}").get_data(as_text=True)
    assert "not scored" not in page and "Language: en" in page and "Valence" in page
    page = client.get(f"/datasets/{dataset_id}/texts/{short}").get_data(as_text=True)
    assert "Language: und (undetermined: too short to tell, or the detector was unsure)" in page


def test_the_dashboard_counts_them_apart_and_charts_without_them(client, auth):
    dataset_id = _upload(auth)
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["not_scored"] == NOT_READ
    assert summary["analysed"] == len(MULTILINGUAL) - NOT_READ
    assert sum(row["count"] for row in summary["distribution"]) == summary["analysed"]
    timeline_total = sum(sum(p["counts"].values()) for p in summary["timeline"]["points"])
    assert timeline_total == summary["analysed"]
    assert summary["map"]["geotagged"] == summary["map"]["shown"] == summary["analysed"]
    assert NOT_SCORED not in {point[2] for point in summary["map"]["points"]}
    assert summary["keywords"] == [{"keyword": "tram", "total": 1, "counts": {"joy": 1}}]
    assert summary["model"]["languages"] == ["en"]
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert "It reads en: texts in another language are not scored." in page


def test_the_language_filter_in_every_view(client, auth, api):
    dataset_id = _upload(auth)
    base = f"/datasets/{dataset_id}"
    german = client.get(f"{base}/summary.json?language=DE").json
    assert (german["analysed"], german["not_scored"]) == (0, 1)
    assert german["filters"] == {"language": "de"}
    assert german["map"]["points"] == []
    english = client.get(f"{base}/summary.json?language=en").json
    assert (english["analysed"], english["not_scored"]) == (1, 0)
    assert english["map"]["geotagged"] == 1
    table = client.get(f"{base}/texts?language=und").get_data(as_text=True)
    assert "2 texts match" in table and "😍</mark>" in table and "Straßenbahn" not in table
    assert '<option value="und" selected>' in table  # the filter shows what it kept
    exported = client.get(f"{base}/export.csv?language=fr").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(row["language"], row["label"], row["valence"]) for row in rows] == [
        ("fr", "not scored (language)", "")
    ]
    answer = api.get(f"/api/v1{base}/texts?language=es").json
    assert answer["total"] == 1 and answer["filters"] == {"language": "es"}
    [text] = answer["texts"]
    assert text["language"] == "es" and text["not_scored"] == "language"
    assert text["label"] is None and text["valence"] is None and text["scores"] == {}
    assert api.get(f"/api/v1{base}/summary?language=de").json["not_scored"] == 1
    assert client.get(f"{base}/texts?language=zz").status_code == 200  # no such texts: empty


def _summaries(client, dataset_id: int) -> list[dict]:
    queries = ["language=en", "language=de", "language=und", "language=en&keyword=tram"]
    queries += ["language=en&corrected=false", "language=en&label=joy", "language=und&q=o"]
    return [client.get(f"/datasets/{dataset_id}/summary.json?{query}").json for query in queries]


def _languages(table, job_id: int) -> set[str]:
    return set(db.session.scalars(select(table.language).where(table.job_id == job_id)))


def _counted_now(monkeypatch) -> None:
    """Count every filter from the texts, as for a text search."""
    for module in (filters, map_points):
        monkeypatch.setattr(module, "counted_now", lambda dataset, kept: True)


def test_the_filters_offer_the_languages_found_with_their_counts(app, client, auth, api):
    dataset_id = _upload(auth)
    for page in ("", "/texts"):
        html = client.get(f"/datasets/{dataset_id}{page}?language=de").get_data(as_text=True)
        select_html = re.search(r'<select name="language">(.*?)</select>', html, re.S).group(1)
        options = re.findall(r'<option value="(\w*)"( selected)?>([^<]*)</option>', select_html)
        assert options == [
            ("", "", "any"),
            ("und", "", "und (2 texts, undetermined)"),
            ("de", " selected", "de (1 text, not scored)"),
            ("en", "", "en (1 text)"),
            ("es", "", "es (1 text, not scored)"),
            ("fr", "", "fr (1 text, not scored)"),
        ]
    stale = client.get(f"/datasets/{dataset_id}/texts?language=it").get_data(as_text=True)
    assert '<option value="it" selected>it (no texts)</option>' in stale
    older = upload(api).json["id"]
    with app.app_context():  # counts made before they knew languages: a code is typed
        job_id = db.session.get(Dataset, older).current_job_id
        db.session.execute(update(JobCount).where(JobCount.job_id == job_id).values(language=""))
        db.session.commit()
    html = client.get(f"/datasets/{older}/texts").get_data(as_text=True)
    assert '<select name="language">' not in html and 'placeholder="e.g. de"' in html


def test_the_languages_offered_follow_the_texts_analysed(client, auth, api):
    auth.login()
    feed = new_feed(api)["id"]
    assert push(api, feed, [MULTILINGUAL[0][0]]).status_code == 201
    html = client.get(f"/datasets/{feed}/texts").get_data(as_text=True)
    assert '<option value="en">en (1 text)</option>' in html and "de (" not in html
    assert push(api, feed, [MULTILINGUAL[1][0]]).status_code == 201
    html = client.get(f"/datasets/{feed}/texts").get_data(as_text=True)
    assert '<option value="de">de (1 text, not scored)</option>' in html


def test_the_counts_know_languages_and_older_counts_are_read_from_the_texts(
    app, client, auth, api, monkeypatch
):
    dataset_id = _upload(auth)
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        stored = _languages(JobCount, job_id)
        placed = _languages(JobPoint, job_id)
    assert stored == {"en", "de", "fr", "es", "und"} and placed == {"en", "und"}
    from_counts = _summaries(client, dataset_id)
    assert [summary["analysed"] + summary["not_scored"] for summary in from_counts] == [
        1, 1, 2, 1, 1, 1, 1
    ]  # fmt: skip
    assert from_counts[0]["map"]["geotagged"] == 1 and from_counts[2]["map"]["geotagged"] == 2

    # counts made before they knew languages (0015): '' everywhere, read from the texts
    with app.app_context():
        db.session.execute(update(JobCount).where(JobCount.job_id == job_id).values(language=""))
        db.session.commit()
    assert _summaries(client, dataset_id) == from_counts
    [english] = api.get(f"/api/v1/datasets/{dataset_id}/texts?language=en").json["texts"]
    url = f"/api/v1/datasets/{dataset_id}/texts/{english['id']}/label"
    assert call(api, "PUT", url, json={"label": "anger"}).status_code == 200  # kept as they were
    with app.app_context():
        assert _languages(JobCount, job_id) == {""}
    after = _summaries(client, dataset_id)
    _counted_now(monkeypatch)
    assert _summaries(client, dataset_id) == after
    assert after[0]["distribution"] != from_counts[0]["distribution"]  # the correction counts


@pytest.mark.parametrize("value", ["german", "d3", "e"])
def test_a_bad_language_is_refused_everywhere(client, auth, api, value):
    base = f"/datasets/{_upload(auth)}"
    for url in (f"{base}", f"{base}/texts", f"{base}/summary.json", f"{base}/export.csv"):
        response = client.get(f"{url}?language={value}")
        assert response.status_code == 400, url
        assert BAD_LANGUAGE in response.get_data(as_text=True), url
    answer = api.get(f"/api/v1{base}/texts?language={value}")
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "invalid_language"
    assert BAD_LANGUAGE in answer.json["error"]["message"]


def test_the_api_and_the_exports_carry_each_texts_language(client, auth, api):
    base = f"/datasets/{_upload(auth)}"
    texts = api.get(f"/api/v1{base}/texts?per_page=10").json["texts"]
    assert {text["text"]: text["language"] for text in texts} == dict(MULTILINGUAL)
    assert sum(text["not_scored"] == "language" for text in texts) == NOT_READ
    english = next(text for text in texts if text["language"] == "en")
    assert english["not_scored"] is None and english["label"] and english["scores"]
    records = [
        json.loads(line)
        for line in client.get(f"{base}/export.jsonl").get_data(as_text=True).splitlines()
    ]
    assert {record["text"]: record["language"] for record in records} == dict(MULTILINGUAL)
    spanish = next(record for record in records if record["language"] == "es")
    assert spanish["label"] is None and spanish["not_scored"] == "language"
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/export.csv").get_data(True))))
    assert sum(row["label"] == "not scored (language)" for row in rows) == NOT_READ
    assert {row["language"] for row in rows} == {"en", "de", "fr", "es", "und"}
