"""`emolytics analyze`: CSV, JSON Lines and plain text in, scores and a summary out, languages."""

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from emolytics.cli_engine import analyze
from emolytics.cli_training import train
from emolytics.engine.artifacts import load_model
from tests.engine.cli_output import read_csv
from tests.engine.workbook_files import workbook_bytes


def test_analyze_csv_writes_scores_and_a_summary(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text('id,text\n1,"I love this, so happy"\n2,I am furious with you\n3,\n')
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [row["line"] for row in rows] == ["2", "3", "4"]
    assert [row["label"] for row in rows] == ["joy", "anger", "neutral"]
    assert rows[0]["text"] == "I love this, so happy"
    assert float(rows[0]["valence"]) > 0 > float(rows[1]["valence"])
    assert abs(sum(float(rows[0][f"score_{label}"]) for label in ("anger", "disgust", "fear",
               "joy", "sadness", "surprise", "neutral")) - 1) < 1e-3  # fmt: skip
    assert "3 texts analyzed" in result.stderr
    assert "joy" in result.stderr and "bad rows" not in result.stderr


def test_analyze_jsonl_reports_bad_lines_and_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "feed.jsonl"
    source.write_text(
        '{"text": "what a wonderful day"}\n'
        "{broken json\n"
        "\n"
        '{"body": "no text field"}\n'
        '["not", "an", "object"]\n'
        '{"text": "I am so scared"}\n'
        '{"text": "returning them, feel let down"}\n'
        '{"text": ["a list"]}\n'
        '{"text": 42}\n'  # a number: its digits, as a CSV file or a workbook gives them
    )
    output = tmp_path / "out.jsonl"
    result = runner.invoke(analyze, [str(source), "-o", str(output), "--explain"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in output.read_text().splitlines()]
    labels = [(record["line"], record["label"]) for record in records]
    assert labels == [(1, "joy"), (6, "fear"), (7, "neutral"), (9, "neutral")]
    assert records[3]["text"] == "42"
    assert records[0]["explanation"][0][0] == "wonderful"
    # neutral won on the model's lean: the terms alone favour sadness
    assert "terms_favour" not in records[0] and records[2]["terms_favour"] == "sadness"
    assert "line 2: skipped, not valid JSON (Expecting property name" in result.stderr
    assert "line 4: skipped, field 'text' is missing" in result.stderr
    assert "line 5: skipped, not a JSON object" in result.stderr
    assert "line 8: skipped, field 'text' is not a string" in result.stderr
    assert "4 bad rows skipped" in result.stderr


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        ("id;text\n1;what a wonderful day\n2;I am so scared, really\n", [2, 3]),
        ("sep=|\r\nid|text\r\n1|what a wonderful day\r\n2|I am so scared, really\r\n", [3, 4]),
    ],
    ids=["semicolons", "excel-separator-line"],
)
def test_analyze_reads_csv_delimiters_like_the_web(
    runner: CliRunner, tmp_path: Path, content: str, lines: list[int]
) -> None:
    source = tmp_path / "export.csv"
    source.write_text(content)
    result = runner.invoke(analyze, [str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["line"], row["label"]) for row in rows] == [(lines[0], "joy"), (lines[1], "fear")]
    assert rows[1]["text"] == "I am so scared, really"


GERMAN = "Das ist wunderbar, ich freue mich so sehr auf den Urlaub!"


def test_analyze_marks_texts_in_a_language_the_model_does_not_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "posts.txt"
    source.write_text(f"I love this, so happy\n{GERMAN}\n🎉🎉\n", encoding="utf-8")
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 0, result.output
    english, german, emoji = read_csv(result.stdout)
    assert (english["language"], english["label"]) == ("en", "joy")
    assert (german["language"], german["label"]) == ("de", "not scored (language)")
    assert german["valence"] == german["score_joy"] == german["explanation"] == ""
    assert german["text"] == GERMAN
    assert (emoji["language"], emoji["label"]) == ("und", "joy")  # the benefit of the doubt
    assert "3 texts analyzed" in result.stderr
    assert "1 text not scored: in a language the model does not read" in result.stderr

    lines = runner.invoke(analyze, [str(source), "--format", "jsonl"]).stdout.splitlines()
    record = json.loads(lines[1])
    assert record == {"line": 2, "language": "de", "label": None, "not_scored": "language",
                      "text": GERMAN}  # fmt: skip
    assert json.loads(lines[0])["language"] == "en" and "not_scored" not in json.loads(lines[0])


def test_a_trained_model_reads_the_languages_of_its_training_texts(
    runner: CliRunner, labeled_csv: Path, tmp_path: Path
) -> None:
    model = tmp_path / "shop.zip"
    trained = runner.invoke(train, [str(labeled_csv), "-o", str(model), "--fixed"])
    assert trained.exit_code == 0, trained.output
    assert load_model(model)[1]["details"]["languages"] == ["en"]
    source = tmp_path / "posts.txt"
    source.write_text(f"where is my parcel?\n{GERMAN}\n", encoding="utf-8")
    rows = read_csv(runner.invoke(analyze, [str(source), "--model", str(model)]).stdout)
    assert [row["label"] for row in rows] == ["question", "not scored (language)"]

    older, tampered = tmp_path / "older.zip", tmp_path / "tampered.zip"
    _rewrite_details(model, older, languages=None)  # written before languages were recorded
    rows = read_csv(runner.invoke(analyze, [str(source), "--model", str(older)]).stdout)
    assert rows[1]["language"] == "de" and rows[1]["label"] in ("complaint", "praise", "question")
    _rewrite_details(model, tampered, languages="en")
    result = runner.invoke(analyze, [str(source), "--model", str(tampered)])
    assert result.exit_code == 1
    assert "model languages are not a list of language codes" in result.stderr


def _rewrite_details(source: Path, target: Path, languages: object) -> None:
    """A copy of a model file whose details record `languages` (None: no record)."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    metadata = json.loads(members["metadata.json"])
    metadata["details"].pop("languages")
    if languages is not None:
        metadata["details"]["languages"] = languages
    members["metadata.json"] = json.dumps(metadata).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def test_analyze_plain_text_with_a_custom_column_format(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "lines.txt"
    source.write_text("I love it\n\nso sad :(\n", encoding="utf-8")
    result = runner.invoke(analyze, [str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    labels = [json.loads(line)["label"] for line in result.stdout.splitlines()]
    assert labels == ["joy", "neutral", "sadness"]


def test_analyze_leaves_out_a_title_before_the_header(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "report.csv"
    source.write_text("Tram survey\n\nid;text\n1;I love it\n2;so sad :(\n", encoding="utf-8")
    result = runner.invoke(analyze, [str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["line"], row["text"], row["label"]) for row in rows] == [
        (4, "I love it", "joy"),
        (5, "so sad :(", "sadness"),
    ]


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        ("title\nhello\n", [], "{source}: no column 'text' in the CSV header: title"),
        ("", [], "{source}: The file is empty."),
        ("text\nhello\n", ["--model", "missing.zip"], "missing.zip: model file not found"),
    ],
)
def test_analyze_bad_input_exits_1_with_one_line(
    runner: CliRunner, tmp_path: Path, content: str, arguments: list[str], message: str
) -> None:
    source = tmp_path / "input.csv"
    source.write_text(content)
    result = runner.invoke(analyze, [str(source), *arguments])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {message.format(source=source)}"
    assert result.stdout == ""  # not even the results' header


def test_analyze_missing_input_and_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(analyze, [str(tmp_path / "absent.csv")])
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    assert runner.invoke(analyze, []).exit_code == 2
    assert runner.invoke(analyze, ["x.csv", "--format", "xml"]).exit_code == 2


def test_a_failed_run_leaves_the_output_as_it_was(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text("text\nI love it\n")
    output = tmp_path / "labels.csv"
    assert runner.invoke(analyze, [str(source), "-o", str(output)]).exit_code == 0
    before = output.read_text()
    assert before.count("\n") == 2  # the header and one text
    failed = runner.invoke(analyze, [str(source), "--column", "body", "-o", str(output)])
    assert failed.exit_code == 1 and "no column 'body'" in failed.stderr
    assert output.read_text() == before  # not half-overwritten with a header
    fresh = tmp_path / "fresh.csv"
    assert runner.invoke(analyze, [str(source), "--column", "body", "-o", str(fresh)]).exit_code
    assert sorted(path.name for path in tmp_path.iterdir()) == ["labels.csv", "posts.csv"]


def test_analyze_reads_a_csv_table_as_the_upload_does(runner: CliRunner, tmp_path: Path) -> None:
    """One way of reading CSV (`csv_tables`): a one-column file's unquoted commas belong to its
    text, a row of bare delimiters is no row, and a row with more fields than the header is
    skipped with the reason (its text was cut at the comma, or analysed empty, before)."""
    column = tmp_path / "comments.csv"
    column.write_text("comment\nreturning them, feel let down\nthanks, love it\n")
    result = runner.invoke(analyze, [str(column), "--column", "comment", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert texts == ["returning them, feel let down", "thanks, love it"]

    table = tmp_path / "table.csv"
    table.write_text("text,stars\nI love it,5\nso sad, really,1\n,\n\nwhat a day,4\n")
    result = runner.invoke(analyze, [str(table), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["line"], row["text"]) for row in rows] == [(2, "I love it"), (6, "what a day")]
    assert "line 3: skipped, 3 fields, but the header has 2" in result.stderr


def test_analyze_reads_standard_input(runner: CliRunner) -> None:
    """INPUT "-" is standard input, as "-o -" is standard output: a pipe's texts (JSON told by
    its start, CSV by --input-format), a workbook, and an empty input named as such."""
    feed = b'{"text": "what a wonderful day"}\n{"text": "I am so scared"}\n'
    result = runner.invoke(analyze, ["-", "--format", "jsonl"], input=feed)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["line"], row["label"]) for row in rows] == [(1, "joy"), (2, "fear")]

    table = b"id;text\n1;what a wonderful day\n"
    result = runner.invoke(analyze, ["-", "--input-format", "csv"], input=table)
    assert result.exit_code == 0, result.output
    assert [row["text"] for row in read_csv(result.stdout)] == ["what a wonderful day"]

    book = workbook_bytes(["text"], ["what a wonderful day"], ["I am so scared"])
    result = runner.invoke(analyze, ["-", "--format", "jsonl"], input=book)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["label"] for line in result.stdout.splitlines()] == ["joy", "fear"]

    empty = runner.invoke(analyze, ["-"], input=b"")
    assert empty.exit_code == 1
    assert empty.stderr.strip() == "Error: standard input: The file is empty."
