"""Survey tools' exports, as CSV or workbook. Qualtrics' two rows under the header (the
questions' text, then `{"ImportId": ...}` cells) and SurveyMonkey's one (each answer's kind) are
no answers. They are left out of the preview, the guesses and the stored texts, and out of
`emolytics analyze`; a table whose second row is an answer keeps both."""

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from emolytics.cli_engine import analyze
from tests.engine.workbook_files import workbook_bytes
from tests.web.bulk_rows import stored_texts
from tests.web.uploads import preview, upload

HEADER = ["StartDate", "ResponseId", "LocationLatitude", "LocationLongitude", "Q1", "Q2_TEXT"]
QUESTIONS = [
    "Start Date",
    "Response ID",
    "Location Latitude",
    "Location Longitude",
    "How often do you ride?",
    "Tell us about your ride",
]
IMPORT_IDS = [
    '{"ImportId":"startDate","timeZone":"America/Denver"}',
    '{"ImportId":"_recordId"}',
    '{"ImportId":"locationLatitude"}',
    '{"ImportId":"locationLongitude"}',
    '{"ImportId":"QID1"}',
    '{"ImportId":"QID2_TEXT"}',
]
ANSWERS = [
    ["2026-03-01 08:00:00", "R_1", "48.21", "16.37", "Daily", "I love the new tram, so quick"],
    ["2026-03-02 09:30:00", "R_2", "", "", "Weekly", "The delays make me furious every morning"],
]


def _csv(rows: list[list[str]]) -> str:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue()


EXPORT = [HEADER, QUESTIONS, IMPORT_IDS, *ANSWERS]


def test_a_qualtrics_csv_is_read_from_its_answers(app, auth):
    auth.login()
    found = preview(auth, _csv(EXPORT), "survey.csv").json
    assert found["lines"] == [4, 5] and found["problems"] == []
    guesses = found["guesses"]
    assert (guesses["text"], guesses["posted_at"]) == ("Q2_TEXT", "StartDate")
    assert (guesses["lat"], guesses["lon"]) == ("LocationLatitude", "LocationLongitude")
    assert upload(auth, _csv(EXPORT), "survey.csv").status_code == 302
    assert [(row.line, row.text, row.lat) for row in stored_texts(app)] == [
        (4, ANSWERS[0][5], 48.21),
        (5, ANSWERS[1][5], None),
    ]


def test_a_qualtrics_workbook_is_read_from_its_answers(app, auth):
    auth.login()
    found = preview(auth, workbook_bytes(*EXPORT), "survey.xlsx").json
    assert found["lines"] == [4, 5] and found["guesses"]["text"] == "Q2_TEXT"
    assert upload(auth, workbook_bytes(*EXPORT), "survey.xlsx").status_code == 302
    assert [row.line for row in stored_texts(app)] == [4, 5]


def test_a_second_row_that_is_an_answer_is_kept(app, auth):
    auth.login()
    odd = ["2026-03-03 10:00:00", "R_3", "", "", "Never", '{"ImportId": "x"}']
    plain = [HEADER, *ANSWERS, odd]
    assert preview(auth, _csv(plain), "survey.csv").json["lines"] == [2, 3, 4]


def test_analyze_reads_a_qualtrics_csv_from_its_answers(tmp_path: Path):
    source = tmp_path / "survey.csv"
    source.write_text(_csv(EXPORT), encoding="utf-8")
    result = CliRunner().invoke(analyze, [str(source), "--column", "Q2_TEXT", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["line"], row["label"]) for row in rows] == [(4, "joy"), (5, "anger")]


MONKEY = [
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address"]
    + ["How often do you ride?", "Which lines do you use?", "", "What could we do better?"],
    ["", "", "", "", "", "", "Response", "U1", "U2", "Open-Ended Response"],
    ["11423987", "2548712", "11/02/2026 10:01:22 AM", "11/02/2026 10:03:40 AM", "203.0.113.5"]
    + ["", "Daily", "U1", "", "I love the new tram, it is so quick"],
    ["11423990", "2548712", "11/13/2026 9:15:00 PM", "11/13/2026 9:16:02 PM", "203.0.113.9"]
    + ["", "Weekly", "", "U2", "The delays make me furious every single morning"],
]


def test_a_surveymonkey_csv_is_read_from_its_answers(app, auth):
    auth.login()
    found = preview(auth, _csv(MONKEY), "survey.csv").json
    assert found["lines"] == [3, 4] and found["problems"] == []
    guesses = found["guesses"]
    # an answer is dated when it was sent: its end, not its start
    assert (guesses["text"], guesses["posted_at"]) == ("What could we do better?", "End Date")
    assert found["dates"] == "month first"
    assert upload(auth, _csv(MONKEY), "survey.csv").status_code == 302
    assert [(row.line, row.posted_at.isoformat()) for row in stored_texts(app)] == [
        (3, "2026-11-02T10:03:40+00:00"),
        (4, "2026-11-13T21:16:02+00:00"),
    ]


TYPEFORM = [
    ["#", "What could we do better?", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"],
    ["a1", "The tram is always late", "2026-11-02 10:01:22", "2026-11-03 08:00:05", "n1"],
    ["a2", "Lovely new seats on line 2", "2026-11-04 09:00:00", "2026-11-04 09:02:00", "n2"],
]


def test_a_typeform_answer_is_dated_when_it_was_submitted(auth):
    auth.login()
    guesses = preview(auth, _csv(TYPEFORM), "responses.csv").json["guesses"]
    assert (guesses["text"], guesses["posted_at"]) == (
        "What could we do better?",
        "Submit Date (UTC)",
    )


def test_a_surveymonkey_workbook_is_read_from_its_answers(auth):
    auth.login()
    found = preview(auth, workbook_bytes(*MONKEY), "survey.xlsx").json
    assert found["lines"] == [3, 4] and found["guesses"]["text"] == "What could we do better?"


def test_a_first_row_with_a_respondent_is_an_answer_whatever_it_says(auth):
    auth.login()
    answered = [*MONKEY[2][:-1], "Response"]  # its id is filled: an answer
    assert preview(auth, _csv([MONKEY[0], answered]), "survey.csv").json["lines"] == [2]


def test_analyze_reads_a_surveymonkey_csv_from_its_answers(tmp_path: Path):
    source = tmp_path / "survey.csv"
    source.write_text(_csv(MONKEY), encoding="utf-8")
    column = "What could we do better?"
    result = CliRunner().invoke(analyze, [str(source), "--column", column, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["line"], row["label"]) for row in rows] == [(3, "joy"), (4, "anger")]
