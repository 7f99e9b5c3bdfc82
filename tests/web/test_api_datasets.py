"""API v1: datasets uploaded, listed, fetched, deleted and analysed again, and their refusals."""

from io import BytesIO

import pytest

from emolytics.tables import Dataset, Job, TextRow
from tests.web.api_calls import UPLOAD_CSV, call, count, error_code, new_feed, upload


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
        {"line": 5, "reason": "4 fields, but the header has 3", "numbered": "line"}
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
        ({"name": " "}, 400, "invalid_name"),
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


def test_an_unnamed_upload_takes_its_files_name(api):
    for fields in ({}, {"name": ""}):
        form = {"file": (BytesIO(UPLOAD_CSV), "Rider survey, March.csv"), **fields}
        response = call(api, "POST", "/api/v1/datasets", data=form)
        assert response.status_code == 201, response.json
        assert response.json["name"] == "Rider survey, March"
