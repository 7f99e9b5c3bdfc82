"""Datasets after their upload: keywords tagged and edited, a re-run, the job, deletion."""

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.tables import Dataset, Job, Result, TextKeyword, TextRow
from tests.conftest import team_of
from tests.web.uploads import counts, upload


def test_keywords_are_whole_words_any_case_or_hashtags(app, auth):
    auth.login()
    content = "text\nThe TRAM is late\nI love #tram\nthe tramway is closed\napp-less tram day\n"
    upload(auth, content, keywords="Tram, #App")
    with app.app_context():
        tagged = db.session.execute(
            select(TextKeyword.keyword, TextRow.line)
            .join(TextRow, TextRow.id == TextKeyword.text_id)
            .order_by(TextRow.line, TextKeyword.keyword)
        ).all()
    assert tagged == [("tram", 2), ("tram", 3), ("app", 5), ("tram", 5)]


def test_keywords_can_be_edited_after_upload(app, client, auth, dataset_id):
    response = auth.post(
        f"/datasets/{dataset_id}/keywords",
        {"keywords": "night, weekend"},
        token_from=f"/datasets/{dataset_id}",
    )
    assert response.status_code == 302
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert {item["keyword"]: item["total"] for item in summary["keywords"]} == {
        "night": 1,
        "weekend": 1,
    }
    assert client.get(f"/datasets/{dataset_id}/summary.json?keyword=night").json["analysed"] == 1


def test_rerun_replaces_the_results(app, client, auth, dataset_id):
    response = auth.post(
        f"/datasets/{dataset_id}/analyze", {"model": ""}, token_from=f"/datasets/{dataset_id}"
    )
    assert response.status_code == 302
    with app.app_context():
        jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
        assert [job.status for job in jobs] == ["done", "done"]
        assert db.session.get(Dataset, dataset_id).current_job_id == jobs[1].id
        assert db.session.scalar(select(func.count()).select_from(Result)) == 6


def test_a_live_feed_before_its_first_texts_says_there_is_nothing_to_analyse(app, client, auth):
    auth.login()
    with app.app_context():
        empty = datasets.create_feed(team_of("ada"), "Empty feed", ()).id
        db.session.commit()
    url = f"/datasets/{empty}"
    response = auth.post(f"{url}/analyze", {"model": ""}, token_from=url)
    assert response.location == url
    assert "This dataset has no texts to analyse." in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_delete_dataset_removes_everything(app, client, auth, dataset_id):
    response = auth.post(f"/datasets/{dataset_id}/delete", {"confirm_name": "Reviews"})
    assert response.location == "/dashboard"
    assert counts(app) == (0, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
        assert db.session.scalar(select(func.count()).select_from(TextKeyword)) == 0
    assert client.get(f"/datasets/{dataset_id}").status_code == 404


def test_deleting_the_account_removes_its_datasets(app, client, auth, dataset_id):
    from tests.conftest import PASSWORD

    auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")
    assert counts(app) == (0, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_job_status_json_and_cancel(app, client, auth, dataset_id):
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    status = client.get(f"/jobs/{job_id}.json").json
    assert (status["status"], status["done"], status["total"]) == ("done", 6, 6)
    response = auth.post(f"/jobs/{job_id}/cancel", {}, token_from=f"/datasets/{dataset_id}")
    assert response.location == f"/datasets/{dataset_id}"
    assert client.get(f"/jobs/{job_id}.json").json["status"] == "done"  # too late to cancel
