"""Languages of a trained model, of results before the migration, the live feed, quick analysis."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from emolytics.engine import languages
from emolytics.extensions import db
from emolytics.tables import NOT_SCORED, EmotionModel, Result
from tests.web.api_calls import call
from tests.web.model_steps import labeled_tickets, train
from tests.web.multilingual import MULTILINGUAL, _stored, _upload, artifact_details

# Reflecting `users` skips its lower-cased username index, which the migration test does not need.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")


GERMAN_AND_ENGLISH = labeled_tickets(
    [
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
