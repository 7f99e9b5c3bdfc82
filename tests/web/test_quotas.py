"""Quotas: texts per upload and texts stored per owner, refused with 413 and nothing stored."""

from io import BytesIO

import pytest

from emolytics.app import create_app
from emolytics.pipeline import datasets
from emolytics.pipeline.ingest import Columns, ParsedText
from emolytics.pipeline.quotas import UploadTooLarge
from emolytics.tables import Dataset, Job, TextRow
from tests.conftest import csrf_token
from tests.web.api_calls import UPLOAD_CSV, count, error_code, new_feed, push, upload


@pytest.fixture
def limited(app):
    """Three texts per upload, five stored in all."""
    app.config.update(MAX_UPLOAD_ROWS=3, MAX_STORED_ROWS=5)
    return app


FOUR_TEXTS = UPLOAD_CSV + b"One text too many,2026-03-04T10:00:00Z,dan\n"


def test_an_api_upload_of_too_many_texts_is_refused_whole(limited, api):
    response = upload(api, FOUR_TEXTS)
    assert response.status_code == 413 and error_code(response) == "too_many_texts"
    assert "more than 3 texts" in response.json["error"]["message"]
    assert count(limited, Dataset) == count(limited, TextRow) == count(limited, Job) == 0


def test_an_api_upload_past_the_stored_quota_is_refused(limited, api):
    assert upload(api).status_code == 201
    response = upload(api)  # 3 + 3 > 5
    # 413, not 429: waiting does not help, only deleting a dataset does
    assert response.status_code == 413 and error_code(response) == "storage_full"
    assert "hold 3 texts and may hold 5" in response.json["error"]["message"]
    assert count(limited, Dataset) == 1 and count(limited, TextRow) == 3


def test_a_feed_push_past_the_stored_quota_is_refused(limited, api):
    feed = new_feed(api)
    assert push(api, feed["id"], ["one", "two", "three"]).status_code == 201
    response = push(api, feed["id"], ["four", "five", "six"])
    assert response.status_code == 413 and error_code(response) == "storage_full"
    assert count(limited, TextRow) == 3


def test_the_upload_form_says_the_file_is_too_large(limited, client, auth):
    auth.login()
    form = {
        "name": "Big",
        "csrf_token": csrf_token(client, "/datasets/new"),
        "file": (BytesIO(FOUR_TEXTS), "texts.csv"),
    }
    response = client.post("/datasets/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "more than 3 texts, the most one upload may hold" in response.get_data(as_text=True)
    assert count(limited, Dataset) == count(limited, TextRow) == 0


def test_an_upload_stops_reading_at_the_first_text_past_the_limit(limited):
    read = []

    def rows():
        for line in range(1, 1_000_000):
            read.append(line)
            yield ParsedText(line, f"text {line}", None, None, None, None)

    upload_request = datasets.Upload(name="Endless", source="upload")
    with limited.app_context(), pytest.raises(UploadTooLarge):
        datasets.import_rows(1, upload_request, Columns(text="text"), rows())
    assert len(read) == 4  # not the whole file
    assert count(limited, Dataset) == count(limited, TextRow) == 0


def test_quotas_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EMOLYTICS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EMOLYTICS_MAX_UPLOAD_ROWS", "1000")
    monkeypatch.setenv("EMOLYTICS_MAX_STORED_ROWS", "0")
    config = create_app({"SECRET_KEY": "test"}).config
    assert config["MAX_UPLOAD_ROWS"] == 1000 and config["MAX_STORED_ROWS"] == 0
    monkeypatch.delenv("EMOLYTICS_MAX_UPLOAD_ROWS")
    assert create_app({"SECRET_KEY": "test"}).config["MAX_UPLOAD_ROWS"] == 5_000_000
