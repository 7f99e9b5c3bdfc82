"""The engine's commands on hostile input: the web upload's checks, clean errors, no traceback."""

import gzip
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from emolytics.cli_engine import analyze
from emolytics.cli_training import train
from tests.engine.cli_output import read_csv

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
        f"Error: {source}: This looks like a binary file: neither text "
        "(CSV, JSON, JSON Lines or plain text) nor an Excel workbook (.xlsx).\n"
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


def test_analyze_reads_excels_unicode_text_as_a_table(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "sheet.txt"  # Excel's "Unicode Text": UTF-16, tabs between the columns
    source.write_bytes("id\ttext\r\n1\tI love it\r\n2\tso sad :(\r\n".encode("utf-16"))
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [(row["line"], row["text"], row["label"]) for row in rows] == [
        ("2", "I love it", "joy"),
        ("3", "so sad :(", "sadness"),
    ]


def test_analyze_reads_windows_1252_like_the_web(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("text\nI don’t like it – “at all”\n".encode("cp1252"))
    result = runner.invoke(analyze, [str(source)])
    assert result.exit_code == 0, result.output
    assert [row["text"] for row in read_csv(result.stdout)] == ["I don’t like it – “at all”"]


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
    assert "line 1: skipped, not valid JSON (nested too deeply)" in result.stderr
    assert "line 2: skipped, not valid JSON (nested too deeply)" in result.stderr


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


def test_analyze_skips_half_a_character_and_reads_an_array_of_strings(
    runner: CliRunner, tmp_path: Path
) -> None:
    """As the upload does: a \\u escape of half a UTF-16 pair is a bad row (it ended the run with
    the language detector's traceback), and an array of strings is an array of texts (each was
    skipped as "not a JSON object")."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "so happy"}\n{"text": "half \\ud800 a pair"}\n')
    result = runner.invoke(analyze, [str(feed), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1]
    assert "line 2: skipped, a \\u escape names half of a character" in result.stderr

    texts = tmp_path / "texts.json"
    texts.write_text('[\n"what a wonderful day",\n"I am so scared"\n]\n')
    result = runner.invoke(analyze, [str(texts), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["record"], row["label"]) for row in rows] == [(1, "joy"), (2, "fear")]
