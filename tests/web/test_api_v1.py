"""API v1: analysis, datasets, the live feed, reports, jobs and models, as a client sees them."""

import json
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from emolytics.accounts import registration, tokens
from emolytics.extensions import db
from emolytics.pipeline import training
from emolytics.tables import Dataset, EmotionModel, Job, JobKind, TextRow
from tests.conftest import ApiClient

UPLOAD_CSV = (
    b"text,created_at,author\n"
    b"I love the new tram!,2026-03-01T08:00:00Z,ana\n"
    b"The tram was late again and I am furious,2026-03-02T09:00:00Z,ben\n"
    b"Scared of the crowds on the platform,2026-03-03T10:00:00Z,cy\n"
)
LABELED_CSV = "text,label\n" + "".join(
    f"{text} {index},{label}\n"
    for index in range(8)
    for text, label in (
        ("what a wonderful happy lovely day", "happy"),
        ("so glad and delighted with this", "happy"),
        ("terrible awful miserable service", "unhappy"),
        ("sad and disappointed about the delay", "unhappy"),
    )
)


def call(api: ApiClient, method: str, url: str, **kwargs: Any) -> TestResponse:
    headers = {"Authorization": f"Bearer {api.token}", **kwargs.pop("headers", {})}
    return api.client.open(url, method=method, headers=headers, **kwargs)


def error_code(response: TestResponse) -> str:
    assert response.is_json, response.data
    assert response.json["error"]["message"]
    return response.json["error"]["code"]


def upload(api: ApiClient, content: bytes = UPLOAD_CSV, **fields: str) -> TestResponse:
    form = {"name": "Tram", "file": (BytesIO(content), "texts.csv"), **fields}
    return call(api, "POST", "/api/v1/datasets", data=form)


def new_feed(api: ApiClient, **body: Any) -> dict[str, Any]:
    response = call(api, "POST", "/api/v1/datasets", json={"name": "Live", **body})
    assert response.status_code == 201, response.json
    return response.json


def push(api: ApiClient, dataset_id: int, items: Any) -> TestResponse:
    return call(api, "POST", f"/api/v1/datasets/{dataset_id}/texts", json=items)


def train(api: ApiClient) -> dict[str, Any]:
    form = {"name": "Moods", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    response = call(api, "POST", "/api/v1/models", data=form)
    assert response.status_code == 202, response.json
    return response.json


def count(app: Flask, table: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def grace(app: Flask) -> ApiClient:
    """A second user's API client."""
    with app.app_context():
        user = registration.register("grace", "violet harbour 1987")
        created = tokens.create_token(user, "grace's script")
    return ApiClient(app.test_client(), created.secret)


# --- POST /analyze ---------------------------------------------------------------------------


def test_analyze_labels_texts(api):
    texts = ["I love this so much", "I am so angry and furious at you"]
    response = call(api, "POST", "/api/v1/analyze", json={"texts": texts})
    assert response.status_code == 200
    results = response.json["results"]
    assert [result["label"] for result in results] == ["joy", "anger"]
    assert set(results[0]) == {"language", "label", "not_scored", "scores", "valence"}
    assert (results[0]["language"], results[0]["not_scored"]) == ("en", None)
    assert abs(sum(results[0]["scores"].values()) - 1) < 1e-6
    assert results[0]["valence"] > 0 > results[1]["valence"]


def test_analyze_explains_on_request(api):
    response = call(api, "POST", "/api/v1/analyze", json={"texts": ["I love it"], "explain": True})
    [result] = response.json["results"]
    token, weight = result["contributions"][0]
    assert token == "love" and weight > 0
    assert result["terms_favour"] is None
    texts = {"texts": ["returning them, feel let down"], "explain": True}
    [result] = call(api, "POST", "/api/v1/analyze", json=texts).json["results"]
    assert (result["label"], result["terms_favour"]) == ("neutral", "sadness")


def test_analyze_takes_a_thousand_texts(api):
    response = call(api, "POST", "/api/v1/analyze", json={"texts": ["fine"] * 1000})
    assert response.status_code == 200
    assert len(response.json["results"]) == 1000


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"texts": []}, 400, "no_texts"),
        ({"texts": ["fine"] * 1001}, 413, "too_many_texts"),
        ({"texts": "just one"}, 400, "invalid_texts"),
        ({"texts": ["fine", 3, None, "  "]}, 400, "invalid_items"),
        ({"texts": ["x" * 20_001]}, 400, "invalid_items"),
        ({"texts": ["a\x00b"]}, 400, "invalid_items"),
        ({"texts": ["fine"], "explain": "yes"}, 400, "invalid_explain"),
        ({"texts": ["fine"], "explian": True}, 400, "unknown_field"),
        ({"texts": ["fine"], "model_id": "1"}, 400, "invalid_model_id"),
        ({"texts": ["fine"], "model_id": True}, 400, "invalid_model_id"),
        ({"texts": ["fine"], "model_id": 999}, 404, "not_found"),
        ({"texts": ["fine"], "model_id": 2**70}, 404, "not_found"),
        (["fine"], 400, "invalid_body"),
    ],
)
def test_analyze_refusals(api, body, status, code):
    response = call(api, "POST", "/api/v1/analyze", json=body)
    assert response.status_code == status
    assert error_code(response) == code


def test_analyze_lists_bad_texts_by_index(api):
    body = {"texts": ["fine", 3, "fine", ""]}
    response = call(api, "POST", "/api/v1/analyze", json=body)
    assert response.json["error"]["items"] == [
        {"index": 1, "reason": "the text is not a string"},
        {"index": 3, "reason": "no text"},
    ]
    assert "#1: the text is not a string" in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "invalid_json"),
        ('{"texts": [NaN]}', "application/json", 400, "invalid_json"),
        ("[" * 100_000, "application/json", 400, "invalid_json"),
        (b'{"texts": ["\xff"]}', "application/json", 400, "invalid_json"),
        ('{"texts": ["half \\udc00 a character"]}', "application/json", 400, "invalid_json"),
        ('{"texts": ["fine"]}', "text/plain", 415, "unsupported_media_type"),
        ("texts=fine", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_analyze_refuses_unreadable_bodies(api, data, content_type, status, code):
    response = call(api, "POST", "/api/v1/analyze", data=data, content_type=content_type)
    assert response.status_code == status
    assert error_code(response) == code


# --- datasets ----------------------------------------------------------------------------------


def test_upload_list_get_and_delete_a_dataset(app, api):
    response = upload(api, keywords="tram, platform", time_column="created_at")
    assert response.status_code == 201
    dataset = response.json
    assert response.headers["Location"] == f"/api/v1/datasets/{dataset['id']}"
    assert dataset["name"] == "Tram" and dataset["source"] == "upload"
    assert dataset["row_count"] == 3 and dataset["keywords"] == ["tram", "platform"]
    assert dataset["job"]["status"] == "done" and dataset["job"]["done"] == 3
    assert dataset["current_job_id"] == dataset["job"]["id"]

    listing = api.get("/api/v1/datasets").json["datasets"]
    assert [item["id"] for item in listing] == [dataset["id"]]
    assert dataset.pop("encoding") == "utf-8"  # how the file was read: the upload's answer only
    assert api.get(f"/api/v1/datasets/{dataset['id']}").json == dataset

    response = call(api, "DELETE", f"/api/v1/datasets/{dataset['id']}")
    assert response.status_code == 204 and response.data == b""
    assert api.get(f"/api/v1/datasets/{dataset['id']}").status_code == 404
    assert count(app, TextRow) == 0 and count(app, Job) == 0


def test_upload_can_skip_unreadable_rows(api):
    content = UPLOAD_CSV + b"a,b,c,d\n"
    assert error_code(upload(api, content)) == "unreadable_rows"
    response = upload(api, content, skip_bad_rows="true")
    assert response.status_code == 201
    assert response.json["skipped_count"] == 1
    assert response.json["skipped_rows"] == [
        {"line": 5, "reason": "4 fields, but the header has 3"}
    ]


def test_upload_refuses_a_time_past_the_calendar(app, api):
    content = b"text,created_at\nhello,9999-12-31T23:59:59-05:00\n"
    response = upload(api, content, time_column="created_at")
    assert response.status_code == 400
    assert error_code(response) == "unreadable_rows"
    assert "line 2: date value out of range" in response.json["error"]["message"]
    assert count(app, Dataset) == 0


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"name": ""}, 400, "invalid_name"),
        ({"name": "x" * 121}, 400, "invalid_name"),
        ({"keywords": ",".join(f"k{index}" for index in range(51))}, 400, "invalid_keywords"),
        ({"skip_bad_rows": "perhaps"}, 400, "invalid_parameter"),
        ({"text_column": "body"}, 400, "unreadable_file"),
        ({"file": (BytesIO(b""), "empty.csv")}, 400, "unreadable_file"),
        ({"file": (BytesIO(b"\x00\x01\x02" * 100), "binary.csv")}, 400, "unreadable_file"),
        ({"file": (BytesIO(UPLOAD_CSV), "texts.exe")}, 400, "unreadable_file"),
        ({"file": (BytesIO(UPLOAD_CSV + b"a,b,c,d\n"), "texts.csv")}, 400, "unreadable_rows"),
        ({"file": (BytesIO(b""), "")}, 400, "no_file"),
    ],
)
def test_upload_refusals_store_nothing(app, api, fields, status, code):
    response = upload(api, **fields)
    assert response.status_code == status
    assert error_code(response) == code
    assert count(app, Dataset) == 0 and count(app, TextRow) == 0 and count(app, Job) == 0


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        ({"name": "Live", "keywords": "tram"}, None, "invalid_keywords"),
        ({"name": "Live", "keywords": ["ok", 3]}, None, "invalid_keywords"),
        ({"name": "Live", "keywords": ["x" * 81]}, None, "invalid_keywords"),
        ({"name": "Live\x00"}, None, "invalid_name"),
        ({"name": 12}, None, "invalid_name"),
        ({}, None, "invalid_name"),
        ({"name": "Live", "source": "upload"}, None, "unknown_field"),
        ("name=Live", "application/x-www-form-urlencoded", "unsupported_media_type"),
        ("name=Live", "text/csv", "unsupported_media_type"),
    ],
)
def test_new_feed_refusals(app, api, body, content_type, code):
    if content_type is None:
        response = call(api, "POST", "/api/v1/datasets", json=body)
    else:
        response = call(api, "POST", "/api/v1/datasets", data=body, content_type=content_type)
    assert response.status_code in {400, 415}
    assert error_code(response) == code
    assert count(app, Dataset) == 0


def test_analyze_a_dataset_again(api):
    dataset = upload(api).json
    response = call(api, "POST", f"/api/v1/datasets/{dataset['id']}/analyze")
    assert response.status_code == 202
    job = response.json
    assert job["kind"] == "analysis" and job["status"] == "done" and job["model_id"] is None
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert api.get(f"/api/v1/datasets/{dataset['id']}").json["current_job_id"] == job["id"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"model_id": 12345}, 404, "not_found"),
        ({"model_id": -1}, 400, "invalid_model_id"),
        ({"model": None}, 400, "unknown_field"),
        ([], 400, "invalid_body"),
    ],
)
def test_analyze_a_dataset_again_refusals(api, body, status, code):
    dataset = upload(api).json
    response = call(api, "POST", f"/api/v1/datasets/{dataset['id']}/analyze", json=body)
    assert response.status_code == status
    assert error_code(response) == code


def test_an_empty_feed_has_nothing_to_analyse(api):
    feed = new_feed(api)
    response = call(api, "POST", f"/api/v1/datasets/{feed['id']}/analyze", json={})
    assert response.status_code == 409
    assert error_code(response) == "no_texts"


# --- the live feed -----------------------------------------------------------------------------


def test_live_feed_texts_are_analysed_and_counted_at_once(api):
    feed = new_feed(api, keywords=["Tram", "#delays"])
    assert feed["source"] == "api" and feed["row_count"] == 0 and feed["job"] is None
    assert feed["keywords"] == ["tram", "delays"]
    summary_url = f"/api/v1/datasets/{feed['id']}/summary"
    assert api.get(summary_url).json["analysed"] == 0

    first = [
        "I love the new tram!",
        {"text": "More delays, I am so angry", "posted_at": "2026-03-01T08:00:00Z"},
        {"text": "Scary crowds", "author": "cy", "lat": 52.5, "lon": 13.4},
    ]
    response = push(api, feed["id"], first)
    assert response.status_code == 201
    assert response.json["added"] == 3
    assert response.json["dataset"]["row_count"] == 3
    summary = api.get(summary_url).json
    assert summary["analysed"] == 3
    assert summary["map"]["geotagged"] == 1
    assert {row["keyword"]: row["total"] for row in summary["keywords"]} == {
        "tram": 1,
        "delays": 1,
    }

    lines = '{"text": "What a joy, the tram is on time"}\n\n"Another #tram delay"\n'
    response = call(
        api,
        "POST",
        f"/api/v1/datasets/{feed['id']}/texts",
        data=lines,
        content_type="application/x-ndjson",
    )
    assert response.status_code == 201 and response.json["added"] == 2
    summary = api.get(summary_url).json
    assert summary["analysed"] == 5  # into the finished analysis, no new job
    assert {row["keyword"]: row["total"] for row in summary["keywords"]}["tram"] == 3
    assert len(api.get("/api/v1/jobs").json["jobs"]) == 1


def test_a_live_feed_text_without_a_time_was_posted_when_it_arrived(app, api):
    feed = new_feed(api)
    before = datetime.now(UTC)
    items = ["Lovely tram today", {"text": "Late again", "posted_at": "2026-03-01T08:00:00Z"}]
    assert push(api, feed["id"], items).status_code == 201
    after = datetime.now(UTC)

    with app.app_context():
        times = db.session.scalars(select(TextRow.posted_at).order_by(TextRow.line)).all()
    assert before - timedelta(seconds=1) <= times[0] <= after  # the server's time at the push
    assert times[1] == datetime(2026, 3, 1, 8, tzinfo=UTC)  # a given time is kept
    points = api.get(f"/api/v1/datasets/{feed['id']}/summary").json["timeline"]["points"]
    assert sum(sum(point["counts"].values()) for point in points) == 2


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"text": ""}, "no text"),
        ({"author": "ana"}, "no text"),
        (5, "not a string or an object"),
        ({"text": "fine", "mood": "joy"}, "unknown field 'mood'"),
        ({"text": "fine", "lat": 100, "lon": 0}, "coordinates out of range: 100, 0"),
        ({"text": "fine", "lat": 1}, "lat and lon must both be numbers, or both be missing"),
        ({"text": "fine", "lat": "1", "lon": "2"}, "lat and lon must both be numbers"),
        ({"text": "fine", "lat": True, "lon": 2}, "lat and lon must both be numbers"),
        ({"text": "fine", "posted_at": "yesterday"}, "unreadable timestamp 'yesterday'"),
        ({"text": "fine", "posted_at": 1e30}, "timestamp out of range"),
        ({"text": "fine", "posted_at": "9999-12-31T23:59:59-05:00"}, "out of range"),
        ({"text": "fine", "author": 7}, "author must be a string"),
        ({"text": "fine", "author": "x" * 201}, "longer than 200 characters"),
        ({"text": "x" * 20_001}, "longer than 20,000 characters"),
        ({"text": "nul \x00 here"}, "NUL character"),
    ],
)
def test_a_bad_item_refuses_the_whole_batch(app, api, item, reason):
    feed = new_feed(api)
    assert push(api, feed["id"], ["fine"]).status_code == 201
    response = push(api, feed["id"], ["good one", item, "another good one"])
    assert response.status_code == 400
    assert error_code(response) == "invalid_items"
    [bad] = response.json["error"]["items"]
    assert bad["index"] == 1 and reason in bad["reason"]
    assert count(app, TextRow) == 1  # nothing half-written
    assert api.get(f"/api/v1/datasets/{feed['id']}").json["row_count"] == 1


def test_bad_ndjson_lines_are_listed_by_line(app, api):
    feed = new_feed(api)
    lines = '"fine"\n{broken\n\n[1, 2]\n'
    response = call(
        api,
        "POST",
        f"/api/v1/datasets/{feed['id']}/texts",
        data=lines,
        content_type="application/x-ndjson",
    )
    assert response.status_code == 400
    assert response.json["error"]["items"] == [
        {"index": 1, "reason": "not valid JSON"},
        {"index": 3, "reason": "not a string or an object"},
    ]
    assert count(app, TextRow) == 0


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("[]", "application/json", 400, "no_texts"),
        ("\n\n", "application/x-ndjson", 400, "no_texts"),
        (json.dumps(["fine"] * 10_001), "application/json", 413, "too_many_texts"),
        ('{"text": "fine"}', "application/json", 400, "invalid_body"),
        ("[Infinity]", "application/json", 400, "invalid_json"),
        (b'"caf\xe9"', "application/x-ndjson", 400, "invalid_json"),
        ('["fine", "half \\ud800"]', "application/json", 400, "invalid_json"),
        ('{"text": "half \\uDBFF"}', "application/x-ndjson", 400, "invalid_items"),
        ("fine", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_push_refusals(app, api, data, content_type, status, code):
    feed = new_feed(api)
    url = f"/api/v1/datasets/{feed['id']}/texts"
    response = call(api, "POST", url, data=data, content_type=content_type)
    assert response.status_code == status
    assert error_code(response) == code
    assert count(app, TextRow) == 0


def test_push_takes_ten_thousand_texts(app, api):
    feed = new_feed(api)
    response = push(api, feed["id"], [f"text number {index}" for index in range(10_000)])
    assert response.status_code == 201
    assert response.json["added"] == 10_000
    assert api.get(f"/api/v1/datasets/{feed['id']}/summary").json["analysed"] == 10_000


# --- reports -------------------------------------------------------------------------------------


def test_summary_timeline_and_texts(api):
    dataset = upload(api, keywords="tram").json
    base = f"/api/v1/datasets/{dataset['id']}"
    summary = api.get(f"{base}/summary").json
    assert summary["dataset"]["id"] == dataset["id"] and summary["analysed"] == 3
    assert sum(row["count"] for row in summary["distribution"]) == 3

    timeline = api.get(f"{base}/timeline").json
    assert timeline["bucket"] == "hour" or timeline["bucket"] == "day"
    assert sum(sum(point["counts"].values()) for point in timeline["points"]) == 3

    page = api.get(f"{base}/texts?per_page=2").json
    assert (page["total"], page["pages"], page["per_page"], page["page"]) == (3, 2, 2, 1)
    newest = page["texts"][0]
    assert newest["text"] == "Scared of the crowds on the platform"
    assert newest["posted_at"] == "2026-03-03T10:00:00+00:00"
    assert newest["author"] == "cy" and newest["label"] in newest["scores"]

    label = newest["label"]
    filtered = api.get(f"{base}/texts?label={label}&q=CROWDS").json
    assert [text["id"] for text in filtered["texts"]] == [newest["id"]]
    assert filtered["filters"] == {"label": label, "q": "CROWDS"}
    assert api.get(f"{base}/texts?keyword=tram").json["total"] == 2
    dated = api.get(f"{base}/summary?start=2026-03-02&end=2026-03-02").json
    assert dated["analysed"] == 1


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("label=bliss", "unknown_label"),
        ("start=yesterday", "invalid_date"),
        ("end=2026-13-01", "invalid_date"),
        ("per_page=0", "invalid_parameter"),
        ("per_page=201", "invalid_parameter"),
        ("page=two", "invalid_parameter"),
        ("page=-1", "invalid_parameter"),
        ("page=%C2%B2", "invalid_parameter"),
        ("q=a%00b", "bad_request"),
    ],
)
def test_report_refusals(api, query, code):
    dataset = upload(api).json
    response = api.get(f"/api/v1/datasets/{dataset['id']}/texts?{query}")
    assert response.status_code == 400
    assert error_code(response) == code


def test_a_day_past_the_calendar_is_refused(api):
    dataset = upload(api).json
    response = api.get(f"/api/v1/datasets/{dataset['id']}/summary?end=9999-12-31")
    assert response.status_code == 400
    assert error_code(response) == "invalid_date"


# --- jobs ----------------------------------------------------------------------------------------


def test_jobs_list_get_and_cancel(app, api):
    dataset = upload(api).json
    jobs = api.get("/api/v1/jobs").json["jobs"]
    assert [job["id"] for job in jobs] == [dataset["job"]["id"]]
    job = api.get(f"/api/v1/jobs/{dataset['job']['id']}").json
    assert job == dataset["job"]

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
        model = training.create_model(1, "Pending", LABELED_CSV.encode(), "text", "label")
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


# --- isolation and ids ---------------------------------------------------------------------------


def test_another_users_ids_answer_404_everywhere(app, api, grace):
    dataset = upload(api).json
    model = train(api)
    job_id = dataset["job"]["id"]
    base = f"/api/v1/datasets/{dataset['id']}"
    attempts = [
        ("GET", base, None),
        ("DELETE", base, None),
        ("POST", f"{base}/texts", ["mine now"]),
        ("POST", f"{base}/analyze", {}),
        ("GET", f"{base}/summary", None),
        ("GET", f"{base}/timeline", None),
        ("GET", f"{base}/texts", None),
        ("GET", f"/api/v1/jobs/{job_id}", None),
        ("POST", f"/api/v1/jobs/{job_id}/cancel", None),
        ("GET", f"/api/v1/models/{model['id']}", None),
        ("DELETE", f"/api/v1/models/{model['id']}", None),
        ("POST", "/api/v1/analyze", {"texts": ["hi"], "model_id": model["id"]}),
    ]
    for method, url, body in attempts:
        response = call(grace, method, url, json=body)
        assert response.status_code == 404, (method, url)
        assert error_code(response) == "not_found"
        assert "Tram" not in response.get_data(as_text=True)
    for listing in ("datasets", "jobs", "models"):
        assert grace.get(f"/api/v1/{listing}").json == {listing: []}
    assert api.get(f"{base}/summary").json["analysed"] == 3  # untouched
    assert count(app, TextRow) == 3


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/datasets/0",
        "/api/v1/datasets/2147483648",
        "/api/v1/datasets/99999999999999999999999999/summary",
        "/api/v1/jobs/99999999999999999999999999",
        "/api/v1/models/99999999999999999999999999",
    ],
)
def test_ids_that_cannot_exist_answer_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/v1/datasets"),
        ("POST", "/api/v1/datasets"),
        ("GET", "/api/v1/datasets/1/summary"),
        ("POST", "/api/v1/datasets/1/texts"),
        ("POST", "/api/v1/analyze"),
        ("GET", "/api/v1/jobs"),
        ("GET", "/api/v1/models"),
    ],
)
def test_every_endpoint_needs_a_token(client, method, url):
    response = client.open(url, method=method, json=["fine"])
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_the_document_and_its_reference_need_no_token(client):
    assert client.get("/api/v1/openapi.json").json["openapi"] == "3.1.0"
    page = client.get("/api/v1/reference")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "POST" in html and "/api/v1/datasets/{dataset_id}/texts" in html
    assert "curl -X POST" in html and "Authorization: Bearer $EMOLYTICS_TOKEN" in html
    assert "<script" not in html


def test_the_reference_shows_the_signed_in_menu_and_calls_still_ignore_cookies(client, auth):
    auth.login()
    html = client.get("/api/v1/reference").get_data(as_text=True)
    assert "Sign out" in html and "(ada)" in html
    me = client.get("/api/v1/me")  # the same browser, its cookies: not an API credential
    assert me.status_code == 401
    assert error_code(me) == "unauthorized"
