"""Excel workbooks (and .xls and .ods spreadsheets), as survey tools export them: the first sheet
is previewed and stored like a CSV file (its header row, its row numbers as lines, date cells as
times), through the page and the API; a file that only claims to be one is refused with a clear
message, nothing stored."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook

from tests.engine.workbook_files import XLS, ods_bytes, workbook_bytes
from tests.web.api_calls import call
from tests.web.bulk_rows import stored_texts
from tests.web.uploads import counts, preview, upload


def workbook(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    for row in rows:
        sheet.append(row)
    book.create_sheet("Notes").append(["not read", "second sheet"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


SURVEY = workbook(
    [None],  # a blank first row: the header is the first filled one
    ["Respondent", "Submitted", "Response", "lat", "lon"],
    ["r1", datetime(2026, 10, 22, 15, 50), "Love the new app, thank you!", 48.21, 16.37],
    [None, None, None, None, None],
    ["r2", "10/23/2026 8:00 AM", "So slow, I hate waiting", None, None],
    ["r3", "03/04/2026 9:00 AM", "The tram was late"],  # stops early; month first, as above
)


def test_a_workbook_is_previewed_from_its_first_sheet(auth):
    auth.login()
    found = preview(auth, SURVEY, "survey.xlsx").json
    assert (found["format"], found["dates"]) == ("xlsx", "month first")
    assert found["columns"] == ["Respondent", "Submitted", "Response", "lat", "lon"]
    assert (found["lines"], found["numbered"]) == ([3, 5, 6], "row")  # the sheet's rows
    assert found["rows"][0]["Submitted"] == "2026-10-22T15:50:00"
    assert found["guesses"]["text"] == "Response" and found["guesses"]["posted_at"] == "Submitted"
    assert found["problems"] == []


def test_a_workbook_upload_stores_its_rows_with_times_and_places(app, auth):
    auth.login()
    response = upload(auth, SURVEY, "survey.xlsx")
    assert response.status_code == 302
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 texts uploaded (read as an Excel workbook); analysis started." in page
    rows = [(row.line, row.text, row.posted_at, row.lat) for row in stored_texts(app)]
    assert rows == [
        (3, "Love the new app, thank you!", datetime(2026, 10, 22, 15, 50, tzinfo=UTC), 48.21),
        (5, "So slow, I hate waiting", datetime(2026, 10, 23, 8, tzinfo=UTC), None),
        (6, "The tram was late", datetime(2026, 3, 4, 9, tzinfo=UTC), None),
    ]
    text_id = stored_texts(app)[2].id
    text_page = auth.client.get(f"{response.headers['Location']}/texts/{text_id}")
    assert "<h1>Text on row 6 of survey.xlsx</h1>" in text_page.get_data(as_text=True)


def test_a_workbooks_title_rows_are_left_out(app, auth):
    auth.login()
    titled = workbook(
        ["Tram survey"],
        [None, "exported 2026-10-24"],  # a title row's cell need not be the first
        [],
        ["Respondent", "Response"],
        ["r1", "Love the new app"],
        ["r2", "So slow"],
        ["r3", 10.0],  # a number: its text, as in a CSV file
    )
    found = preview(auth, titled, "survey.xlsx").json
    assert (found["columns"], found["lines"]) == (["Respondent", "Response"], [5, 6, 7])
    unnamed = workbook(["Response"], ["Love the new app", 5], ["So slow", 1])  # no blank row
    assert preview(auth, unnamed, "survey.xlsx").json["columns"] == ["Response"]
    assert upload(auth, titled, "survey.xlsx").status_code == 302
    assert [(row.line, row.text) for row in stored_texts(app)] == [
        (5, "Love the new app"),
        (6, "So slow"),
        (7, "10"),
    ]


def test_the_api_reads_a_workbook_without_a_suffix(app, api):
    form = {"name": "Survey", "file": (io.BytesIO(SURVEY), "export")}
    stored = call(api, "POST", "/api/v1/datasets", data=form)
    assert stored.status_code == 201, stored.json
    assert (stored.json["row_count"], stored.json["encoding"]) == (3, "xlsx")


def test_a_broken_workbook_is_refused_and_nothing_is_stored(app, auth, api):
    auth.login()
    broken = SURVEY[: len(SURVEY) // 2]
    refused = preview(auth, broken, "survey.xlsx")
    assert refused.status_code == 400
    assert refused.json["error"].startswith(
        "This is not an Excel workbook or spreadsheet that can be read"
    )
    response = upload(auth, broken, "survey.xlsx")
    assert response.status_code == 400
    assert "This is not an Excel workbook or spreadsheet that can be read" in response.get_data(
        as_text=True
    )
    form = {"name": "Survey", "file": (io.BytesIO(b"PK\x03\x04 not really"), "survey.xlsx")}
    refused_api = call(api, "POST", "/api/v1/datasets", data=form)
    assert refused_api.status_code == 400
    assert refused_api.json["error"]["code"] == "unreadable_file"
    assert counts(app) == (0, 0, 0)


def test_an_empty_workbook_says_so(auth):
    auth.login()
    response = upload(auth, workbook_bytes(), "empty.xlsx")
    assert response.status_code == 400
    assert "The workbook is empty: no sheet has a filled cell." in response.get_data(as_text=True)


def test_a_workbook_that_unpacks_past_the_limit_is_refused(auth, monkeypatch):
    from emolytics.engine import spreadsheets

    auth.login()
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED", 1000)  # the survey unpacks to a few KB
    refused = preview(auth, SURVEY, "survey.xlsx")
    assert refused.status_code == 400
    assert "more than 0 MB: save its sheet as CSV" in refused.json["error"]


ODS_SURVEY = ods_bytes(
    ["text", "created_at", "stars"],
    ["I love the new tram, so quick", datetime(2026, 3, 1, 8), 5],
    [None, None, None],
    ["The delays make me furious every morning", datetime(2026, 3, 2, 9, 30), 1],
)


@pytest.mark.parametrize(
    ("content", "filename", "lines"),
    [(XLS, "Old survey.XLS", [4, 5, 6]), (ODS_SURVEY, "survey.ods", [2, 4])],
    ids=["xls", "ods"],
)
def test_an_xls_or_ods_spreadsheet_is_read_as_a_workbook(app, auth, content, filename, lines):
    """Excel 97-2003's .xls and LibreOffice's .ods: their first sheet, as a workbook's (they
    were refused with the advice to save them as .xlsx)."""
    auth.login()
    found = preview(auth, content, filename).json
    assert found["lines"] == lines and found["guesses"]["posted_at"] == "created_at"
    assert upload(auth, content, filename).status_code == 302
    stored = [(row.line, row.text, row.posted_at) for row in stored_texts(app)][:2]
    assert stored == [
        (lines[0], "I love the new tram, so quick", datetime(2026, 3, 1, 8, tzinfo=UTC)),
        (
            lines[1],
            "The delays make me furious every morning",
            datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        ),
    ]


def test_a_damaged_xls_file_is_refused_with_a_clear_message(app, auth):
    auth.login()
    response = upload(auth, XLS[:2000], "survey.xls")
    assert response.status_code == 400
    assert "This is not an Excel workbook or spreadsheet that can be read" in response.get_data(
        as_text=True
    )
    assert counts(app) == (0, 0, 0)
