"""Languages: each text's language is detected and stored; a text in a language the model does
not read is marked "not scored (language)" on every page, in the API and the exports, counted
apart on the dashboard and left out of its charts; every view filters by language."""

import csv
import io
import json

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, update

from emolytics.engine import languages
from emolytics.engine.artifacts import load_model
from emolytics.extensions import db
from emolytics.pipeline import filters, map_points
from emolytics.tables import (
    NOT_SCORED,
    Dataset,
    EmotionModel,
    JobCount,
    JobPoint,
    Result,
    TextRow,
)
from tests.conftest import csrf_token
from tests.web.api_calls import call
from tests.web.test_models import train

# (text, the language it must be detected as)
MULTILINGUAL = [
    ("I love the new tram, it is absolutely brilliant", "en"),
    ("Ich freue mich riesig über die neue Straßenbahn, einfach wunderbar!", "de"),
    ("Je suis tellement heureuse aujourd'hui, le nouveau tramway est magnifique !", "fr"),
    ("Estoy muy contento con el nuevo tranvía, funciona de maravilla.", "es"),
    ("🎉😍🎉", "und"),
    ("ok", "und"),
]
NOT_READ = 3  # German, French and Spanish: the default analyzer reads English only
# Reflecting `users` skips its lower-cased username index, which the migration test does not need.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
BAD_LANGUAGE = "language must be a language code such as en or de (ISO 639-1), or und"


def artifact_details(artifact: bytes, folder) -> dict:
    """The `details` a stored model file keeps."""
    path = folder / "model.zip"
    path.write_bytes(artifact)
    return load_model(path)[1]["details"]


def _upload(auth) -> int:
    """The fixture as a dataset, every text geotagged, analysed by the default analyzer."""
    auth.login()
    lines = ["text,created_at,lat,lon"]
    for n, (text, _) in enumerate(MULTILINGUAL):
        lines.append(f'"{text}",2026-03-0{n + 1}T10:00:00Z,48.{n},16.4')
    form = {
        "name": "Polyglot",
        "keywords": "tram",
        "csrf_token": csrf_token(auth.client, "/datasets/new"),
        "file": (io.BytesIO(("\n".join(lines) + "\n").encode()), "polyglot.csv"),
    }
    response = auth.client.post("/datasets/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _stored(app, dataset_id: int) -> dict[str, tuple[str | None, str]]:
    """text -> (language, label) of the dataset's current analysis."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        rows = db.session.execute(
            select(TextRow.text, Result.language, Result.label)
            .join(Result, Result.text_id == TextRow.id)
            .where(Result.job_id == job_id)
        )
        return {text: (language, label) for text, language, label in rows}


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
    assert 'name="language" value="und"' in table
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


GERMAN_AND_ENGLISH = "ticket,topic\n" + "".join(
    f'"{text} #{n}",{topic}\n'
    for n in range(12)
    for text, topic in [
        ("Meine Rechnung zeigt den falschen Betrag an", "billing"),
        ("I was charged twice this month, please refund it", "billing"),
        ("Die App stürzt ab, wenn ich die Einstellungen öffne", "bug"),
        ("The app crashes when I open the settings page", "bug"),
        ("Wie kann ich meine Daten exportieren?", "question"),
        ("Where can I change my email address?", "question"),
    ]
)


def test_a_trained_model_reads_the_languages_of_its_training_texts(
    app, client, auth, api, tmp_path
):
    dataset_id = _upload(auth)
    assert train(auth, GERMAN_AND_ENGLISH).status_code == 302
    with app.app_context():
        model = db.session.scalar(select(EmotionModel))
        assert model.languages == ["de", "en"]
        model_id = model.id
        # the file says so too, as `emolytics analyze` reads it
        assert languages.recorded(artifact_details(model.artifact, tmp_path)) == {"de", "en"}
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "Reads de, en (the languages of its training texts)" in page
    assert api.get(f"/api/v1/models/{model_id}").json["languages"] == ["de", "en"]

    url = f"/datasets/{dataset_id}"
    assert auth.post(f"{url}/analyze", {"model": str(model_id)}, token_from=url).status_code == 302
    stored = _stored(app, dataset_id)
    not_scored = {text for text, (_, label) in stored.items() if label == NOT_SCORED}
    assert not_scored == {MULTILINGUAL[2][0], MULTILINGUAL[3][0]}  # French and Spanish
    assert stored[MULTILINGUAL[1][0]][1] in ("billing", "bug", "question")


def test_the_migration_leaves_old_results_not_detected(app, client, auth, api):
    dataset_id = _upload(auth)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0011_second_factor")
        db.session.rollback()  # PostgreSQL: no read of this session may hold the tables
        upgrade(directory=directory)
        languages = set(db.session.scalars(select(Result.language)))
    assert languages == {None}
    texts = api.get(f"/api/v1/datasets/{dataset_id}/texts").json["texts"]
    assert {text["language"] for text in texts} == {None}
    assert client.get(f"/datasets/{dataset_id}/texts").status_code == 200


def test_the_live_feed_marks_and_counts_what_it_pushes(api):
    from tests.web.api_calls import new_feed, push

    feed = new_feed(api)
    base = f"/api/v1/datasets/{feed['id']}"
    assert push(api, feed["id"], ["I love the new tram, it is brilliant"]).status_code == 201
    later = [MULTILINGUAL[1][0], "The tram was late again and I am so angry about it"]
    assert push(api, feed["id"], later).status_code == 201  # into the finished analysis
    summary = api.get(f"{base}/summary").json
    assert (summary["analysed"], summary["not_scored"]) == (2, 1)
    texts = api.get(f"{base}/texts?language=de").json["texts"]
    assert [(text["language"], text["not_scored"]) for text in texts] == [("de", "language")]


def test_the_quick_analysis_and_the_api_mark_texts_not_scored(auth, api):
    auth.login()
    german, english = MULTILINGUAL[1][0], MULTILINGUAL[0][0]
    page = auth.post("/analyze", {"text": german}).get_data(as_text=True)
    assert "Emotion: not scored (language)" in page and "reads as <strong>de</strong>" in page
    assert "Why:" not in page
    page = auth.post("/analyze", {"text": english}).get_data(as_text=True)
    assert "language: en</p>" in page and 'emo-joy">joy</span></h2>' in page
    page = auth.post("/analyze", {"text": "🎉😍🎉"}).get_data(as_text=True)
    assert "language: und (undetermined: too short to tell, or the detector was unsure)</p>" in page
    short_spanish = "Me encanta este lugar, es precioso"  # the detector is unsure (es, 0.65)
    body = {"texts": [german, english, "🎉😍🎉", short_spanish], "explain": True}
    results = call(api, "POST", "/api/v1/analyze", json=body).json["results"]
    assert [(r["language"], r["not_scored"]) for r in results] == [
        ("de", "language"),
        ("en", None),
        ("und", None),
        ("es", "language"),  # its words are not the model's: the guess stands
    ]
    assert results[0]["label"] is None and results[0]["scores"] == {}
    assert results[0]["valence"] is None and "reasons" not in results[0]
    assert results[1]["label"] == "joy" and results[1]["reasons"]
