import csv
import gzip
import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from emolytics.cli_engine import analyze
from emolytics.cli_training import evaluate, train
from emolytics.engine.artifacts import load_model


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


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
    )
    output = tmp_path / "out.jsonl"
    result = runner.invoke(analyze, [str(source), "-o", str(output), "--explain"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in output.read_text().splitlines()]
    labels = [(record["line"], record["label"]) for record in records]
    assert labels == [(1, "joy"), (6, "fear"), (7, "neutral")]
    assert records[0]["explanation"][0][0] == "wonderful"
    # neutral won on the model's lean: the terms alone favour sadness
    assert "terms_favour" not in records[0] and records[2]["terms_favour"] == "sadness"
    assert "line 2: skipped, invalid JSON" in result.stderr
    assert "line 4: skipped, field 'text' is missing" in result.stderr
    assert "line 5: skipped, not a JSON object" in result.stderr
    assert "3 bad rows skipped" in result.stderr


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


def test_analyze_missing_input_and_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(analyze, [str(tmp_path / "absent.csv")])
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    assert runner.invoke(analyze, []).exit_code == 2
    assert runner.invoke(analyze, ["x.csv", "--format", "xml"]).exit_code == 2


def test_train_then_evaluate(runner: CliRunner, labeled_csv: Path, tmp_path: Path) -> None:
    model = tmp_path / "shop.zip"
    trained = runner.invoke(train, [str(labeled_csv), "-o", str(model)])
    assert trained.exit_code == 0, trained.output
    assert "trained on 42 texts, 3 labels" in trained.stdout
    assert "settings chosen: " in trained.stdout
    assert "features                        solver" in trained.stdout
    assert "\n*   " in trained.stdout  # the chosen candidate's row is marked
    assert "choosing settings: each candidate scored on 3 of 5 folds" in trained.stderr
    assert "macro-F1  1.0000" in trained.stdout
    assert "confusion matrix" in trained.stdout
    assert "per-label offsets: none (they did not raise macro-F1 out of fold, 1.000)" in (
        trained.stdout
    )
    assert load_model(model)[1]["details"]["label_bias"] is None
    selection = load_model(model)[1]["details"]["selection"]
    assert f"settings chosen: {selection['chosen']['description']}" in trained.stdout
    assert len(selection["candidates"]) == trained.stderr.count(": macro-F1 ") >= 8

    evaluated = runner.invoke(evaluate, [str(labeled_csv), "--model", str(model)])
    assert evaluated.exit_code == 0, evaluated.output
    assert "accuracy  1.0000" in evaluated.stdout
    assert "macro-F1  1.0000" in evaluated.stdout
    assert "question" in evaluated.stdout

    source = tmp_path / "new.txt"
    source.write_text("where is the shop?\n")
    analyzed = runner.invoke(analyze, [str(source), "--model", str(model)])
    assert read_csv(analyzed.stdout)[0]["label"] == "question"
    assert "score_praise" in analyzed.stdout


def test_train_with_fixed_settings_or_a_budget(
    runner: CliRunner, labeled_csv: Path, tmp_path: Path
) -> None:
    model = str(tmp_path / "m.zip")
    fixed = runner.invoke(train, [str(labeled_csv), "-o", model, "--fixed"])
    assert fixed.exit_code == 0, fixed.output
    assert "settings: fixed (no search)" in fixed.stdout and fixed.stderr == ""
    few = runner.invoke(train, [str(labeled_csv), "-o", model, "--candidates", "2"])
    assert few.exit_code == 0, few.output
    assert "search: 2 candidates, each scored on 3 folds of 5" in few.stdout
    assert "stopped by its candidate budget" in few.stdout
    assert "search stopped by its candidate budget" in few.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--budget", "0"], "0.0 is not in the range 1<=x<=86400"),
        (["--budget", "soon"], "'soon' is not a valid float"),
        (["--candidates", "0"], "0 is not in the range x>=1"),
        (["--fixed", "--candidates", "3"], "--fixed chooses nothing"),
    ],
)
def test_bad_training_options_exit_2(
    runner: CliRunner, labeled_csv: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    result = runner.invoke(train, [str(labeled_csv), "-o", str(tmp_path / "m.zip"), *options])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "m.zip").exists()


def test_train_errors_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("text,label\nhello,\n")
    result = runner.invoke(train, [str(source), "-o", str(tmp_path / "m.zip")])
    assert result.exit_code == 1
    assert "line 2: empty label" in result.stderr
    columns = runner.invoke(train, [str(source), "-o", "m.zip", "--label-column", "emotion"])
    assert columns.exit_code == 1 and "no column 'emotion'" in columns.stderr
    assert runner.invoke(train, [str(source)]).exit_code == 2  # -o is required


def test_evaluate_default_model_and_corrupt_model(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "gold.csv"
    source.write_text("text,label\nI love you,joy\nI hate you,anger\nthe bus is at 5,neutral\n")
    result = runner.invoke(evaluate, [str(source)])
    assert result.exit_code == 0, result.output
    assert "accuracy  1.0000" in result.stdout
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(b"PK\x03\x04 garbage")
    failed = runner.invoke(evaluate, [str(source), "--model", str(corrupt)])
    assert failed.exit_code == 1
    assert "not a readable model file" in failed.stderr
    assert "Traceback" not in failed.output


def test_commands_run_in_a_fresh_process(tmp_path: Path) -> None:
    source = tmp_path / "posts.txt"
    source.write_text("I am so happy\nthis is disgusting\n")
    code = "import sys; from emolytics.cli_engine import analyze; analyze(sys.argv[1:])"
    completed = subprocess.run(
        [sys.executable, "-c", code, str(source), "--format", "jsonl"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    labels = [json.loads(line)["label"] for line in completed.stdout.splitlines()]
    assert labels == ["joy", "disgust"]
    failed = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "absent.txt")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: cannot read")


# --- hostile input: the same checks as the web upload, clean errors, no traceback -------------

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(range(256)) * 8


@pytest.mark.parametrize(
    "content",
    [ELF, gzip.compress(b"text\nhello\n" * 50, mtime=0), random.Random(9).randbytes(4096)],
    ids=["executable", "gzip", "random"],
)
def test_analyze_refuses_binary_files(runner: CliRunner, tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "input.txt"
    source.write_bytes(content)
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {source}: This looks like a binary file, not text "
        "(CSV, JSON, JSON Lines or plain text).\n"
    )
    assert "Traceback" not in result.output


def test_analyze_reads_utf16_like_the_web(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("id,text\n1,Café: I love it 😀\n2,so sad\n".encode("utf-16"))
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [(row["text"], row["label"]) for row in rows] == [
        ("Café: I love it 😀", "joy"),
        ("so sad", "sadness"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"text\ncaf\xe9 au lait\n" + "crème brûlée 😀\n".encode(),
            "Line 2 (byte offset 8) is not valid UTF-8, though the file is UTF-8 text",
        ),
        (
            b"text\n" + b"fine\n" * 20_000 + b"bad \xff\n",
            "Line 20002 (byte offset 100009) is not valid UTF-8",
        ),
    ],
    ids=["near-the-start", "later"],
)
def test_analyze_refuses_broken_utf8(
    runner: CliRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "broken.csv"
    source.write_bytes(content)
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "\ufffd" not in result.output and "Traceback" not in result.output


def test_analyze_skips_deeply_nested_json(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "feed.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    source.write_text(f'{{"text": {deep}}}\n{deep}\n{{"text": "so happy"}}\n')
    result = runner.invoke(analyze, [str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [3]
    assert "line 1: skipped, invalid JSON (nested too deeply)" in result.stderr
    assert "line 2: skipped, invalid JSON (nested too deeply)" in result.stderr


def test_analyze_escapes_unprintable_characters_in_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "odd.csv"
    source.write_bytes(b"ti\x1b[2Jtle\x7f,body\nhello,there\n")
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}: no column 'text' in the CSV header: ti\\x1b[2Jtle\\x7f, body\n"
    )


@pytest.mark.parametrize("output", ["missing-folder/out.csv", "."], ids=["no-folder", "a-folder"])
def test_analyze_unwritable_output_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, output: str
) -> None:
    source = tmp_path / "posts.txt"
    source.write_text("I am so happy\n")
    result = runner.invoke(analyze, [str(source), "-o", str(tmp_path / output)])
    assert result.exit_code == 2
    assert "Invalid value for '-o' / '--output': cannot write" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_train_reads_utf16_and_its_errors_name_the_file_once(
    runner: CliRunner, labeled_csv: Path, tmp_path: Path
) -> None:
    source = tmp_path / "labeled.csv"
    source.write_bytes(labeled_csv.read_text().encode("utf-16"))
    trained = runner.invoke(train, [str(source), "-o", str(tmp_path / "m.zip")])
    assert trained.exit_code == 0, trained.output
    assert "trained on 42 texts, 3 labels" in trained.stdout
    missing = runner.invoke(train, [str(source), "-o", "m.zip", "--label-column", "mood"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"Error: {source}: no column 'mood' (columns: ")
    assert missing.stderr.count(str(source)) == 1
