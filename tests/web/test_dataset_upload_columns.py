"""Uploads through the page: columns chosen, the preview, errors on their field, spreadsheets."""

import io
import re

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import TextRow
from tests.web.uploads import REVIEWS, _token, counts, preview, upload


def test_columns_can_be_chosen(app, auth):
    auth.login()
    content = "headline,when\nLovely day,2026-02-01 10:00:00\n"
    assert upload(auth, content).status_code == 400  # no text column by name, nor by its words
    response = upload(auth, content, text_column="headline", time_column="when")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(TextRow))
        assert (row.text, row.posted_at.isoformat()) == (
            "Lovely day",
            "2026-02-01T10:00:00+00:00",
        )
    assert upload(auth, content, text_column="nope").status_code == 400


def test_preview_guesses_columns(client, auth):
    auth.login()
    form = {"file": (io.BytesIO(REVIEWS.encode()), "reviews.csv")}
    response = client.post(
        "/datasets/preview",
        data=form,
        content_type="multipart/form-data",
        headers={"X-CSRFToken": _token(auth, "/datasets/new")},
    )
    assert response.status_code == 200
    assert response.json["guesses"] == {
        "text": "text",
        "posted_at": "created_at",
        "author": "author",
        "lat": "lat",
        "lon": "lon",
        "segment": None,  # never guessed
        "place": None,
        "country": None,
    }
    assert len(response.json["rows"]) == 6


def field_errors(page: str, field_id: str) -> list[str]:
    """The error messages shown in the form field whose control has id `field_id`."""
    block = next(part for part in page.split('<div class="field') if f'id="{field_id}"' in part)
    return re.findall(r'<p class="error">(.*?)</p>', block)


HEADLINES = "headline,when\nLovely day,2026-02-01 10:00:00\n"  # too few words to guess
COLUMN_ERRORS = [
    ({}, "text_column", "There is no text column: choose the column that holds the texts."),
    (
        {"text_column": "nope"},
        "text_column",
        "The file has no column named &#39;nope&#39;: choose one of &#39;headline&#39;, "
        "&#39;when&#39;.",
    ),
    (
        {"text_column": "headline", "time_column": "sent"},
        "time_column",
        "The file has no column named &#39;sent&#39;: choose one of &#39;headline&#39;, "
        "&#39;when&#39;.",
    ),
]


@pytest.mark.parametrize(("columns", "field_id", "message"), COLUMN_ERRORS)
def test_unknown_or_missing_columns_are_errors_on_their_field(
    app, auth, columns, field_id, message
):
    auth.login()
    response = upload(auth, HEADLINES, **columns)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page, field_id) == [message]
    assert field_errors(page, "file") == []
    # Without script the form comes back with the columns as typed and asks for the file again.
    for name, value in columns.items():
        assert re.search(rf'<input [^>]*id="{name}"[^>]* value="{value}">', page)
    assert "choose the file again" in page
    assert counts(app) == (0, 0, 0)


def test_the_upload_page_script_gets_json_answers(app, auth):
    auth.login()
    json_answer = {"Accept": "application/json"}
    token = _token(auth, "/datasets/new")
    form = {"name": "Headlines", "csrf_token": token, "text_column": "nope"}
    refused = auth.client.post(
        "/datasets/new",
        data={**form, "file": (io.BytesIO(HEADLINES.encode()), "headlines.csv")},
        headers=json_answer,
    )
    assert refused.status_code == 400
    assert refused.json == {
        "errors": {
            "text_column": [
                "The file has no column named 'nope': choose one of 'headline', 'when'."
            ]
        }
    }
    assert counts(app) == (0, 0, 0)
    stored = auth.client.post(
        "/datasets/new",
        data={
            **form,
            "text_column": "headline",
            "file": (io.BytesIO(HEADLINES.encode()), "headlines.csv"),
        },
        headers=json_answer,
    )
    assert stored.status_code == 200
    location = stored.json["location"]
    assert re.fullmatch(r"/datasets/\d+", location)
    # The notice waits for the page the script goes to.
    page = auth.client.get(location).get_data(as_text=True)
    assert "1 text uploaded (read as UTF-8); analysis started." in page


def test_preview_lists_the_rows_the_upload_would_refuse(auth):
    auth.login()
    content = 'text,created_at\nfine,2026-01-01\n"",2026-01-02\nalso fine,not a date\n"a","b","c"\n'
    found = preview(auth, content).json
    assert found["lines"] == [2, 3, 4]
    assert found["problems"] == [
        {"line": 3, "reason": "no text", "row": 1},
        {"line": 4, "reason": "unreadable timestamp 'not a date'", "row": 2},
        {"line": 5, "reason": "3 fields, but the header has 2", "row": None},  # not shown
    ]
    # Rows are checked with the columns the user chose, not only the guessed ones.
    content = "headline,when\nfine,2026-01-01\nalso fine,soon\n"
    assert preview(auth, content).json["problems"] == []  # no text column yet: nothing to check
    chosen = preview(auth, content, text_column="headline", time_column="when").json
    assert chosen["problems"] == [{"line": 3, "reason": "unreadable timestamp 'soon'", "row": 1}]


def test_preview_marks_the_records_of_a_compact_json_array_one_by_one(auth):
    auth.login()
    content = '[{"text": "fine"}, {"text": ""}, {"text": "also fine"}, {"text": null}]'
    found = preview(auth, content, "export.json").json
    assert found["lines"] == [1, 2, 3, 4]  # one line holds them all: numbered by place
    assert found["numbered"] == "record"
    assert found["problems"] == [
        {"line": 2, "reason": "no text", "row": 1},
        {"line": 4, "reason": "no text", "row": 3},
    ]


SPREADSHEETS = [("Budget.NUMBERS", "numbers"), ("big.xlsb", "xlsb")]  # .xlsx, .xls, .ods are read


@pytest.mark.parametrize(("filename", "suffix"), SPREADSHEETS)
def test_other_spreadsheets_are_told_to_save_as_xlsx_or_csv(app, auth, api, filename, suffix):
    auth.login()
    advice = f"A .{suffix} file is a spreadsheet only its own program reads: save it as .xlsx"
    content = "PK\x03\x04 spreadsheet bytes"
    response = upload(auth, content, filename)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "file")[0].startswith(advice)
    refused_preview = preview(auth, content, filename)
    assert refused_preview.status_code == 400
    assert refused_preview.json["error"].startswith(advice)
    refused_api = api.client.post(
        "/api/v1/datasets",
        data={"name": "Sheet", "file": (io.BytesIO(content.encode()), filename)},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert refused_api.status_code == 400
    assert refused_api.json["error"]["message"].startswith(advice)
    assert counts(app) == (0, 0, 0)
