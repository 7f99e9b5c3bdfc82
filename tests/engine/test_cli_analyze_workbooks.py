"""`emolytics analyze` and Excel workbooks: a workbook's first sheet read as a CSV file,
whatever the file is called (a damaged one or a missing column is one line on stderr and exit
1), and the results written as one (`-o results.xlsx`), never to a terminal."""

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from emolytics.cli_engine import analyze
from tests.engine.cli_output import read_csv
from tests.engine.workbook_files import XLS, ods_bytes, workbook_bytes, workbook_sheets


def workbook(*rows: list) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.create_sheet("Notes").append(["text", "a second sheet is not read"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


SURVEY = workbook(
    [None],
    ["Respondent", "text", "Score"],
    ["r1", "I love the new app, so happy", 5],
    [None, None, None],
    ["r2", "I am furious with the delays", 1],
    ["r3", 42, 3],  # a number where a text was expected: read as Excel shows it
    ["r4", None, 2],
)


@pytest.mark.parametrize("name", ["survey.xlsx", "survey.xlsm", "survey.download"])
def test_a_workbooks_first_sheet_is_read_as_a_csv_file(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(SURVEY)
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [(row["row"], row["text"]) for row in rows] == [  # the sheet's rows
        ("3", "I love the new app, so happy"),
        ("5", "I am furious with the delays"),
        ("6", "42"),
        ("7", ""),
    ]
    assert [row["label"] for row in rows[:2]] == ["joy", "anger"]
    assert "4 texts analyzed" in result.stderr


def test_a_column_is_chosen_by_its_header(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "survey.xlsx"
    source.write_bytes(workbook(["id", "What did you think?"], [1, "Scared of the crowds"]))
    output = tmp_path / "labels.jsonl"
    result = runner.invoke(
        analyze, [str(source), "--column", "What did you think?", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert '"label": "fear"' in output.read_text()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (XLS, "survey.xls"),
        (ods_bytes(["text"], ["I love the new tram, so quick"], [None], [42]), "survey.ods"),
    ],
    ids=["xls", "ods"],
)
def test_an_xls_or_ods_spreadsheet_is_read_as_a_workbook(
    runner: CliRunner, tmp_path: Path, content: bytes, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = runner.invoke(analyze, [str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["text"] == "I love the new tram, so quick" and rows[0]["label"] == "joy"
    assert rows[-1]["text"] == "42"  # a number cell, as Excel shows it


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        (
            SURVEY,
            ["--column", "body"],
            "no column 'body' in the header of sheet 'Sheet': Respondent, text, Score",
        ),
        (SURVEY[:3000], [], "This is not an Excel workbook or spreadsheet that can be read"),
        (workbook_bytes(), [], "The workbook is empty: no sheet has a filled cell."),
        (XLS[:2000], [], "This is not an Excel workbook or spreadsheet that can be read"),
    ],
    ids=["missing-column", "cut-short", "empty", "cut-short-xls"],
)
def test_a_bad_workbook_exits_1_with_one_line(
    runner: CliRunner, tmp_path: Path, content: bytes, arguments: list[str], message: str
) -> None:
    source = tmp_path / "survey.xlsx"
    source.write_bytes(content)
    output = tmp_path / "labels.csv"
    result = runner.invoke(analyze, [str(source), "-o", str(output), *arguments])
    assert result.exit_code == 1
    *before, error = result.stderr.splitlines()
    assert error.startswith(f"Error: {source}: {message}") and "Traceback" not in result.output
    # a workbook of two sheets says which it reads, whose header has no such column
    assert before in ([], ["Reading sheet 'Sheet' (1 of 2); --sheet reads another."])
    assert not output.exists()


REPORT = workbook_sheets(
    {
        "Summary": [["Tram survey, March"], ["Exported", "2026-03-31"]],
        "Answers": [["text"], ["I love the new app, so happy"], ["I am furious with the delays"]],
    }
)


def test_sheet_chooses_the_sheet_read_and_the_one_read_is_said(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "report.xlsx"
    source.write_bytes(REPORT)
    chosen = runner.invoke(analyze, [str(source), "--sheet", "answers"])
    assert chosen.exit_code == 0, chosen.output
    assert [row["label"] for row in read_csv(chosen.stdout)] == ["joy", "anger"]
    assert "Reading sheet" not in chosen.stderr
    default = runner.invoke(analyze, [str(source), "--column", "Tram survey, March"])
    assert default.stderr.startswith("Reading sheet 'Summary' (1 of 2); --sheet reads another.")
    assert [row["text"] for row in read_csv(default.stdout)] == ["Exported"]


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("report.xlsx", REPORT, 1, "The workbook has no sheet named 'Notes': its sheets are "),
        ("reviews.csv", b"text\nhello\n", 2, "--sheet reads a workbook; "),
    ],
    ids=["no-such-sheet", "not-a-workbook"],
)
def test_a_sheet_that_cannot_be_read_fails_before_any_output(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes, code: int, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = runner.invoke(analyze, [str(source), "--sheet", "Notes"])
    assert result.exit_code == code
    assert message in result.stderr and result.stdout == ""


def test_input_format_overrides_what_the_files_start_tells(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "survey.xlsx"
    source.write_bytes(SURVEY)
    result = runner.invoke(analyze, [str(source), "--input-format", "text"])
    assert result.exit_code == 1
    assert "This looks like a binary file" in result.stderr


def test_results_are_written_as_a_workbook(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(
        'text\n"I love this, so happy"\n"Die Bahn ist wieder zu spät, ich bin wütend"\n'
    )
    output = tmp_path / "labels.xlsx"
    result = runner.invoke(analyze, [str(source), "-o", str(output), "--explain"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(output)["Results"].iter_rows(values_only=True))
    written = read_csv(runner.invoke(analyze, [str(source), "--explain"]).stdout)
    assert list(rows[0]) == list(written[0])
    assert [row[:3] for row in rows[1:]] == [(2, "en", "joy"), (3, "de", "not scored (language)")]
    assert rows[1][3] == pytest.approx(float(written[0]["valence"]), abs=5e-5)
    assert rows[1][4:11] == pytest.approx(
        [float(written[0][name]) for name in rows[0][4:11]], abs=5e-5
    )
    assert rows[1][-2] == written[0]["explanation"] and rows[1][-1] == "I love this, so happy"
    assert rows[2][3:12] == (None,) * 9  # no valence, scores or explanation: not scored


def test_a_workbook_goes_to_a_pipe_but_not_to_a_terminal(tmp_path: Path) -> None:
    source = tmp_path / "posts.txt"
    source.write_text("I am so happy\n")
    code = "import sys; from emolytics.cli_engine import analyze; analyze(sys.argv[1:])"
    command = [sys.executable, "-c", code, str(source), "--format", "xlsx"]
    piped = subprocess.run(command, capture_output=True, check=False)
    assert piped.returncode == 0, piped.stderr
    assert load_workbook(io.BytesIO(piped.stdout))["Results"]["C2"].value == "joy"
    leader, follower = pty.openpty()
    try:
        shown = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, check=False)
    finally:
        os.close(follower)
        os.close(leader)
    assert shown.returncode == 2
    assert b"a workbook is no use on a terminal: name a file (-o results.xlsx)" in shown.stderr
