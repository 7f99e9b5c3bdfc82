"""API v1: jobs listed and cancelled, and models trained, inspected, used and deleted."""

import json
from io import BytesIO

import pytest

from emolytics.extensions import db
from emolytics.pipeline import training
from emolytics.tables import EmotionModel, Job, JobKind
from tests.web.api_calls import LABELED_CSV, call, count, error_code, train, upload

# --- jobs ----------------------------------------------------------------------------------------


def test_jobs_list_get_and_cancel(app, api):
    dataset = upload(api).json
    jobs = api.get("/api/v1/jobs").json["jobs"]
    assert [job["id"] for job in jobs] == [dataset["job"]["id"]]
    job = api.get(f"/api/v1/jobs/{dataset['job']['id']}").json
    assert job == dataset["job"]
    assert (job["done"], job["total"], job["progress_noun"]) == (3, 3, "texts analysed")

    response = call(api, "POST", f"/api/v1/jobs/{job['id']}/cancel")
    assert response.status_code == 409
    assert error_code(response) == "job_finished"

    with app.app_context():
        queued = Job(team_id=1, kind=JobKind.ANALYSIS, dataset_id=dataset["id"], total=3)
        db.session.add(queued)
        db.session.commit()
        queued_id = queued.id
    response = call(api, "POST", f"/api/v1/jobs/{queued_id}/cancel")
    assert response.status_code == 200
    assert response.json["status"] == "cancelled" and response.json["finished_at"]


# --- models --------------------------------------------------------------------------------------


def test_train_inspect_use_and_delete_a_model(api):
    model = train(api)
    assert model["name"] == "Moods" and model["ready"] is True
    assert model["job"]["kind"] == "training" and model["job"]["status"] == "done"
    assert model["job"]["progress_noun"] == "step"  # one step: the fit
    assert model["labels"] == ["happy", "unhappy"] and model["training_rows"] == 32
    assert "macro_f1" in json.dumps(model["metrics"])
    selection = model["selection"]
    [chosen] = [item for item in selection["candidates"] if item["chosen"]]
    assert selection["chosen"] == chosen["description"]
    assert chosen["macro_f1"] == max(item["macro_f1"] for item in selection["candidates"])
    assert selection["folds"] == 3 and selection["budget_seconds"] == 50

    assert [item["id"] for item in api.get("/api/v1/models").json["models"]] == [model["id"]]
    assert api.get(f"/api/v1/models/{model['id']}").json == model

    body = {"texts": ["what a lovely happy day"], "model_id": model["id"]}
    [result] = call(api, "POST", "/api/v1/analyze", json=body).json["results"]
    assert set(result["scores"]) == {"happy", "unhappy"}

    dataset = upload(api).json
    url = f"/api/v1/datasets/{dataset['id']}/analyze"
    job = call(api, "POST", url, json={"model_id": model["id"]}).json
    assert job["model_id"] == model["id"] and job["status"] == "done"
    labels = api.get(f"/api/v1/datasets/{dataset['id']}/summary").json["labels"]
    assert labels == ["happy", "unhappy"]

    assert call(api, "DELETE", f"/api/v1/models/{model['id']}").status_code == 204
    assert api.get(f"/api/v1/models/{model['id']}").status_code == 404
    assert call(api, "POST", "/api/v1/analyze", json=body).status_code == 404


def test_training_that_fails_says_why_in_the_job(api):
    form = {"name": "Thin", "file": (BytesIO(b"text,label\nhi,a\nho,b\n"), "thin.csv")}
    response = call(api, "POST", "/api/v1/models", data=form)
    assert response.status_code == 202
    assert response.json["ready"] is False
    assert response.json["job"]["status"] == "failed"
    assert "at least" in response.json["job"]["error"]


def test_a_model_still_training_cannot_be_used(app, api):
    with app.app_context():
        model = training.create_model(
            1, "Pending", LABELED_CSV.encode(), training.TrainingColumns()
        )
        model_id = model.id
    body = {"texts": ["fine"], "model_id": model_id}
    response = call(api, "POST", "/api/v1/analyze", json=body)
    assert response.status_code == 409
    assert error_code(response) == "model_not_ready"


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"name": ""}, 400, "invalid_name"),
        ({"file": (BytesIO(b" \n"), "empty.csv")}, 400, "unreadable_file"),
        ({"file": (BytesIO(b""), "")}, 400, "no_file"),
        ({"text_column": "t" * 121}, 400, "invalid_parameter"),
    ],
)
def test_training_refusals_store_nothing(app, api, fields, status, code):
    form = {"name": "Moods", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv"), **fields}
    response = call(api, "POST", "/api/v1/models", data=form)
    assert response.status_code == status
    assert error_code(response) == code
    assert count(app, EmotionModel) == 0 and count(app, Job) == 0


def test_training_needs_multipart(app, api):
    response = call(api, "POST", "/api/v1/models", json={"name": "Moods"})
    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"
