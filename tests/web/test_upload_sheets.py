"""Workbooks of several sheets: the preview names the sheet it reads and every sheet, an empty
sheet in front is passed over, and the page's form and the API read the sheet chosen (a name
no sheet has is refused, naming the sheets, and nothing is stored)."""

import io

import pytest

from tests.engine.workbook_files import XLS, ods_sheets, workbook_sheets
from tests.web.api_calls import call
from tests.web.bulk_rows import stored_texts
from tests.web.uploads import counts, preview, upload

ANSWERS = [
    ["Respondent", "What would you tell the city?"],
    ["r1", "I love the new tram, so quick"],
    ["r2", "The delays make me furious every morning"],
]
# A report as exported: a cover sheet first, the answers on the second.
REPORT = workbook_sheets(
    {
        "Summary": [["Tram survey, March"], ["Answers", 2], ["Exported", "2026-03-31"]],
        "Answers": ANSWERS,
        "Notes": [],
    }
)


def test_the_preview_names_the_sheet_it_reads_and_every_sheet(auth):
    auth.login()
    found = preview(auth, REPORT, "report.xlsx").json
    assert (found["kind"], found["sheet"]) == ("an Excel workbook", "Summary")
    assert found["sheets"] == ["Summary", "Answers", "Notes"]
    chosen = preview(auth, REPORT, "report.xlsx", sheet="Answers").json
    assert chosen["sheet"] == "Answers"
    assert chosen["columns"] == ["Respondent", "What would you tell the city?"]
    assert chosen["guesses"]["text"] == "What would you tell the city?"
    assert chosen["lines"] == [2, 3]
    csv = preview(auth, "text\nhello there\n", "reviews.csv", sheet="Answers").json
    assert (csv["kind"], csv["sheet"], csv["sheets"]) == (None, None, [])


def test_an_empty_sheet_in_front_is_passed_over(app, auth):
    auth.login()
    content = workbook_sheets({"Sheet1": [], "Answers": ANSWERS})
    assert preview(auth, content, "survey.xlsx").json["sheet"] == "Answers"
    response = upload(auth, content, "survey.xlsx")
    assert response.status_code == 302
    assert [(row.line, row.text) for row in stored_texts(app)] == [
        (2, "I love the new tram, so quick"),
        (3, "The delays make me furious every morning"),
    ]


def test_the_upload_reads_the_sheet_chosen(app, auth):
    auth.login()
    response = upload(auth, REPORT, "report.xlsx", sheet="Answers")
    assert response.status_code == 302
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 texts uploaded (read as an Excel workbook); analysis started." in page
    assert [row.text for row in stored_texts(app)] == [
        "I love the new tram, so quick",
        "The delays make me furious every morning",
    ]


def test_a_column_missing_from_the_sheet_read_names_the_sheet(app, auth):
    auth.login()
    response = upload(auth, REPORT, "report.xlsx", sheet="Answers", text_column="Comment")
    assert response.status_code == 400
    assert (
        "The sheet &#39;Answers&#39; has no column named &#39;Comment&#39;: choose one of "
        "&#39;Respondent&#39;, &#39;What would you tell the city?&#39;."
    ) in response.get_data(as_text=True)
    one_sheet = workbook_sheets({"Answers": ANSWERS})
    response = upload(auth, one_sheet, "answers.xlsx", text_column="Comment")
    assert "The file has no column named &#39;Comment&#39;" in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("Answer", "The workbook has no sheet named 'Answer': its sheets are 'Summary', "),
        ("Notes", "The sheet 'Notes' is empty."),
    ],
    ids=["no-such-sheet", "empty-sheet"],
)
def test_a_sheet_that_cannot_be_read_is_refused_and_nothing_is_stored(
    app, auth, api, sheet, message
):
    auth.login()
    refused = preview(auth, REPORT, "report.xlsx", sheet=sheet)
    assert refused.status_code == 400 and refused.json["error"].startswith(message)
    page = upload(auth, REPORT, "report.xlsx", sheet=sheet)
    assert page.status_code == 400
    assert message.replace("'", "&#39;") in page.get_data(as_text=True)
    form = {"file": (io.BytesIO(REPORT), "report.xlsx"), "sheet": sheet}
    answer = call(api, "POST", "/api/v1/datasets", data=form)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "unreadable_file"
    assert answer.json["error"]["message"].startswith(message)
    assert counts(app) == (0, 0, 0)


def test_the_api_reads_the_sheet_named_whatever_its_case(app, api):
    form = {"file": (io.BytesIO(REPORT), "report.xlsx"), "sheet": "answers"}
    stored = call(api, "POST", "/api/v1/datasets", data=form)
    assert stored.status_code == 201, stored.json
    assert (stored.json["name"], stored.json["row_count"]) == ("report", 2)
    assert stored_texts(app)[0].text == "I love the new tram, so quick"
    schema = call(api, "GET", "/api/v1/openapi.json").json
    upload_form = schema["paths"]["/datasets"]["post"]["requestBody"]["content"]
    assert "sheet" in upload_form["multipart/form-data"]["schema"]["properties"]


@pytest.mark.parametrize(
    ("content", "filename", "kind", "sheets", "texts"),
    [
        (XLS, "survey.xls", "an Excel 97-2003 workbook", ["Responses", "Notes"], "Responses"),
        (
            ods_sheets({"Cover": [["Tram survey"]], "Answers": ANSWERS}),
            "survey.ods",
            "an OpenDocument spreadsheet",
            ["Cover", "Answers"],
            "Answers",
        ),
    ],
    ids=["xls", "ods"],
)
def test_xls_and_ods_files_name_their_sheets_too(app, auth, content, filename, kind, sheets, texts):
    auth.login()
    found = preview(auth, content, filename).json
    assert (found["kind"], found["sheet"], found["sheets"]) == (kind, sheets[0], sheets)
    assert preview(auth, content, filename, sheet=sheets[-1]).json["sheet"] == sheets[-1]
    response = upload(auth, content, filename, sheet=texts)
    assert response.status_code == 302
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"(read as {kind}); analysis started." in page
    assert stored_texts(app)[0].text == "I love the new tram, so quick"


def test_a_sheet_named_for_a_file_that_is_not_a_workbook_is_refused(app, auth, api):
    auth.login()
    message = "A sheet (&#39;Answers&#39;) is named, but the file is not a workbook."
    page = upload(auth, "text\nhello there\n", "reviews.csv", sheet="Answers")
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    form = {"file": (io.BytesIO(b"text\nhello there\n"), "reviews.csv"), "sheet": "Answers"}
    answer = call(api, "POST", "/api/v1/datasets", data=form)
    assert answer.status_code == 400
    assert answer.json["error"]["message"] == message.replace("&#39;", "'")
    assert counts(app) == (0, 0, 0)
