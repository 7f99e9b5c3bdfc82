"""Uploads through the page: encodings, JSONL and TXT, bad files, the size limit, bad rows."""

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import Dataset, TextRow
from tests.conftest import AuthActions
from tests.web.uploads import counts, upload

ENCODED = [
    ("utf-8-sig", "text\nCafé crème, j'adore\n".encode("utf-8-sig")),
    ("utf-16", "text\nCafé crème, j'adore\n".encode("utf-16")),
    ("latin-1", "text\nCafé crème, j'adore\n".encode("latin-1")),
]
# As Excel saves a CSV on a Western Windows: these characters are bytes 0x80 to 0x9F there
WINDOWS_TEXT = "Don’t “panic” – it’s only 5 € … or so"


@pytest.mark.parametrize(("encoding", "content"), ENCODED)
def test_encodings(app, auth, encoding, content):
    auth.login()
    assert upload(auth, content).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TextRow.text)) == "Café crème, j'adore"


def test_a_windows_1252_file_keeps_its_quotes_dashes_and_euros(app, auth):
    auth.login()
    assert upload(auth, f"text\n{WINDOWS_TEXT}\n".encode("cp1252")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TextRow.text)) == WINDOWS_TEXT  # no control characters


def test_jsonl_and_txt_uploads(app, auth):
    auth.login()
    jsonl = '{"text": "so happy today", "created_at": 1767225600}\n{"text": "sad news"}\n'
    assert upload(auth, jsonl, "feed.jsonl").status_code == 302
    assert upload(auth, "first line\n\nsecond line\n", "notes.txt").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TextRow)) == 4
        counts = db.session.scalars(select(Dataset.row_count).order_by(Dataset.id)).all()
        assert counts == [2, 2]


BAD_UPLOADS = [
    (b"", "reviews.csv", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "reviews.csv", "binary file"),
    (b"title\nhello\n", "reviews.csv", "no text column"),
    (b"text\n" + b"x" * 100_000 + b"\n", "reviews.csv", "longer than 20,000 characters"),
    (b"text\nfine\n" + b"ok " * 30_000 + b"\nbad \xff\xfe\n", "reviews.csv", "not valid UTF-8"),
    (b'text\n"fine"\n"cut short', "reviews.csv", "is the file cut short"),
    (b'{"text": "fine"}\n{"text": "cut', "feed.jsonl", "line 2: not valid JSON"),
    (b'{"text": "fine \\ud83d\\ude00"}\n{"text": "half \\ud800"}', "feed.jsonl", "line 2: a \\u"),
    (b"text\n\n\n", "reviews.csv", "holds no texts"),
    (b"hello", "notes.pdf", "Use a CSV, XLSX, JSON, JSONL or TXT file."),
    (b"text,created_at\nhi,yesterday\n", "reviews.csv", "unreadable timestamp"),
    (b"text,lat,lon\nhi,95,10\n", "reviews.csv", "coordinates out of range"),
    (b"text,lat,lon\nhi,,10\nho,45,\n", "reviews.csv", "line 2: a longitude without its latitude"),
    (b"text,lat,lon\nho,45, \n", "reviews.csv", "line 2: a latitude without its longitude"),
]


@pytest.mark.parametrize(("content", "filename", "message"), BAD_UPLOADS)
def test_bad_uploads_store_nothing(app, auth, content, filename, message):
    auth.login()
    response = upload(auth, content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)


def test_upload_over_the_size_limit_gets_413(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=10_000)
    client = app.test_client()
    auth = AuthActions(client)
    auth.register("grace", "violet harbour 1987")
    response = upload(auth, "text\n" + "too much\n" * 5000)
    assert response.status_code == 413
    assert "larger than this server accepts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0


def test_bad_rows_can_be_skipped_and_are_listed(app, client, auth):
    auth.login()
    content = 'text,created_at\nfine,2026-01-01\n"",2026-01-02\nalso fine,not a date\nok,\n'
    refused = upload(auth, content)
    assert refused.status_code == 400
    assert "2 rows cannot be read: line 3: no text; line 4: unreadable timestamp" in (
        refused.get_data(as_text=True)
    )
    stored = upload(auth, content, skip_bad_rows="y")
    assert stored.status_code == 302
    page = client.get(stored.location).get_data(as_text=True)
    assert "2 rows could not be read and were skipped" in page
    assert "line 4: unreadable timestamp" in page
    assert counts(app) == (1, 2, 2)


def test_an_unnamed_upload_takes_its_files_name(app, auth):
    auth.login()
    page = auth.client.get("/datasets/new").get_data(as_text=True)
    assert "Dataset name (optional: the file&#39;s name)" in page
    assert upload(auth, "text\nI love it\n", "Rider survey.csv", name="").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Dataset.name)) == "Rider survey"
