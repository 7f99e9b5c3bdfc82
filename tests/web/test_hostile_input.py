"""Hostile and broken input gets a clear 400 naming the row, never a 500; nothing is stored.

Found by a reliability run: deeply nested JSON, timestamps past the calendar, UTF-8 with one
broken byte, a picture sent as training data, 405s without `Allow`.
"""

import tempfile
from io import BytesIO

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import Dataset, EmotionModel, Job, TextRow
from tests.web.api_calls import LABELED_CSV, call, count, error_code, new_feed, push
from tests.web.uploads import upload as form_upload

DEEP = 100_000
NESTED_LINES = ["[" * DEEP + "]" * DEEP, '{"text": ' + "[" * DEEP + "]" * DEEP + "}"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
# One Latin-1 byte (0xe9) in a UTF-8 file whose other rows hold accents and an emoji.
BROKEN_UTF8 = b"text\ncaf\xe9 au lait\n" + "Crème brûlée 😀\nna\u00efve\n".encode()


def api_upload(api, content: bytes, filename: str = "texts.csv", **fields: str):
    form = {"name": "Tram", "file": (BytesIO(content), filename), **fields}
    return call(api, "POST", "/api/v1/datasets", data=form)


# --- deeply nested JSON ----------------------------------------------------------------------


@pytest.mark.parametrize("nested", NESTED_LINES, ids=["array", "text"])
def test_a_deeply_nested_jsonl_line_is_a_bad_row(app, api, nested):
    content = f'{{"text": "fine"}}\n{nested}\n{{"text": "also fine"}}\n'.encode()
    refused = api_upload(api, content, "feed.jsonl")
    assert refused.status_code == 400
    assert error_code(refused) == "unreadable_rows"
    assert "line 2: not valid JSON" in refused.json["error"]["message"]
    assert count(app, Dataset) == 0 and count(app, TextRow) == 0

    stored = api_upload(api, content, "feed.jsonl", skip_bad_rows="true")
    assert stored.status_code == 201
    assert stored.json["row_count"] == 2
    assert [row["line"] for row in stored.json["skipped_rows"]] == [2]


def test_a_deeply_nested_jsonl_line_in_the_form(app, auth):
    auth.login()
    response = form_upload(auth, f'{{"text": "fine"}}\n{NESTED_LINES[1]}\n', "feed.jsonl")
    assert response.status_code == 400
    assert "line 2: not valid JSON" in response.get_data(as_text=True)
    assert count(app, Dataset) == 0


@pytest.mark.parametrize("url", ["/api/v1/analyze", "/api/v1/datasets"])
def test_a_deeply_nested_json_body_is_refused(app, api, url):
    body = '{"texts": ' + "[" * DEEP + "]" * DEEP + "}"
    response = call(api, "POST", url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"
    assert count(app, Dataset) == 0


def test_a_deeply_nested_feed_item_is_refused_by_index(app, api):
    feed = new_feed(api)
    lines = f'"fine"\n{NESTED_LINES[0]}\n'
    url = f"/api/v1/datasets/{feed['id']}/texts"
    response = call(api, "POST", url, data=lines, content_type="application/x-ndjson")
    assert response.status_code == 400
    assert response.json["error"]["items"] == [{"index": 1, "reason": "not valid JSON"}]
    assert count(app, TextRow) == 0


# --- timestamps past the calendar --------------------------------------------------------------


@pytest.mark.parametrize("seconds", [1e17, -1e17, 1e18, 1e19, 10**400])
def test_a_feed_timestamp_past_the_calendar_is_refused_by_index(app, api, seconds):
    feed = new_feed(api)
    response = push(api, feed["id"], ["fine", {"text": "when?", "posted_at": seconds}])
    assert response.status_code == 400
    [bad] = response.json["error"]["items"]
    assert bad["index"] == 1
    assert bad["reason"].startswith("timestamp out of range (years 1 to 9999)")
    assert count(app, TextRow) == 0


def test_an_upload_timestamp_past_the_calendar_names_its_line(app, api, auth):
    content = b'{"text": "fine"}\n{"text": "when?", "created_at": 1e17}\n'
    response = api_upload(api, content, "feed.jsonl")
    assert response.status_code == 400
    assert "line 2: timestamp out of range" in response.json["error"]["message"]
    auth.login()
    page = form_upload(auth, content, "feed.jsonl")
    assert page.status_code == 400
    assert "line 2: timestamp out of range" in page.get_data(as_text=True)
    assert count(app, Dataset) == 0


# --- encodings ---------------------------------------------------------------------------------


def test_broken_utf8_is_refused_not_read_as_latin1(app, api, auth):
    response = api_upload(api, BROKEN_UTF8)
    assert response.status_code == 400
    assert error_code(response) == "unreadable_file"
    assert "Line 2 (byte offset 8) is not valid UTF-8" in response.json["error"]["message"]
    auth.login()
    page = form_upload(auth, BROKEN_UTF8)
    assert page.status_code == 400
    assert "Line 2 (byte offset 8) is not valid UTF-8" in page.get_data(as_text=True)
    assert count(app, Dataset) == 0 and count(app, TextRow) == 0


@pytest.mark.parametrize(
    ("content", "encoding", "shown"),
    [
        ("text\nCafé crème 😀\n".encode(), "utf-8", "UTF-8"),
        ("text\nCafé crème\n".encode("utf-16"), "utf-16", "UTF-16"),
        ("text\nCafé crème\n".encode("cp1252"), "cp1252", "Windows-1252"),
        # a byte Windows-1252 leaves undefined (0x81): Latin-1, which reads every byte
        ("text\nCafé crème \x81\n".encode("latin-1"), "latin-1", "Latin-1"),
    ],
)
def test_the_upload_says_which_encoding_it_read(app, api, auth, client, content, encoding, shown):
    response = api_upload(api, content)
    assert response.status_code == 201
    assert response.json["encoding"] == encoding
    assert "encoding" not in api.get(response.headers["Location"]).json  # the upload's answer
    auth.login()
    page = client.get(form_upload(auth, content).location).get_data(as_text=True)
    assert f"1 text uploaded (read as {shown})" in page
    with app.app_context():
        assert db.session.scalars(select(TextRow.text)).all()[0].startswith("Café crème")


# --- models --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (PNG, "chart.png", "Use a CSV file, a spreadsheet (.xlsx, .xls or .ods) or JSON"),
        (PNG, "chart.csv", "binary file"),
        (b"text,label\ncaf\xe9,a\n" + "crème,b\n".encode(), "labels.csv", "not valid UTF-8"),
    ],
)
def test_a_training_file_that_is_no_csv_is_refused_at_once(app, api, content, filename, message):
    form = {"name": "Moods", "file": (BytesIO(content), filename)}
    response = call(api, "POST", "/api/v1/models", data=form)
    assert response.status_code == 400
    assert error_code(response) == "unreadable_file"
    assert message in response.json["error"]["message"]
    assert count(app, EmotionModel) == 0 and count(app, Job) == 0


def test_a_training_failure_names_no_server_path(app, api):
    unlabeled = LABELED_CSV + "a text without its label,\n"
    form = {"name": "Moods", "file": (BytesIO(unlabeled.encode()), "labeled.csv")}
    response = call(api, "POST", "/api/v1/models", data=form)
    assert response.status_code == 202
    error = response.json["job"]["error"]
    assert error == "line 34: empty label"
    assert tempfile.gettempdir() not in error and "training.csv" not in error


def test_a_training_file_without_the_columns_named_is_refused_at_once(app, api):
    form = {"name": "Moods", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    response = call(api, "POST", "/api/v1/models", data={**form, "label_column": "mood"})
    assert response.status_code == 400 and error_code(response) == "unreadable_file"
    assert response.json["error"]["message"] == (
        "The file has no column named 'mood' for the labels: it has 'text', 'label'."
    )
    assert count(app, EmotionModel) == 0 and count(app, Job) == 0


# --- protocol ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("GET", "/datasets/sample", {"POST", "OPTIONS"}),
        ("PUT", "/api/v1/datasets", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("PUT", "/api/v1/models/1", {"GET", "HEAD", "OPTIONS", "PATCH", "DELETE"}),
    ],
)
def test_405_says_which_methods_are_allowed(client, method, url, allowed):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
