"""`emolytics train` and `evaluate`: a model trained, evaluated, refused; a fresh process."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from emolytics.cli_engine import analyze
from emolytics.cli_training import evaluate, train
from emolytics.engine.artifacts import load_model
from tests.engine.cli_output import read_csv
from tests.engine.workbook_files import workbook_sheets


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
        (["--label-column", "text"], "--text-column and --label-column name one column"),
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


def test_train_and_evaluate_read_the_sheet_named(
    runner: CliRunner, labeled_csv: Path, tmp_path: Path
) -> None:
    rows = list(csv.reader(io.StringIO(labeled_csv.read_text(encoding="utf-8"), newline="")))
    source = tmp_path / "shop.xlsx"
    source.write_bytes(
        workbook_sheets({"Read me": [["Shop messages"], ["42, labelled"]], "Labels": rows})
    )
    model = tmp_path / "shop.zip"
    options = ["--sheet", "Labels", "--fixed"]
    trained = runner.invoke(train, [str(source), "-o", str(model), *options])
    assert trained.exit_code == 0, trained.output
    assert "trained on 42 texts, 3 labels" in trained.stdout
    evaluated = runner.invoke(evaluate, [str(source), "--model", str(model), "--sheet", "labels"])
    assert evaluated.exit_code == 0 and "accuracy  1.0000" in evaluated.stdout
    first = runner.invoke(evaluate, [str(source), "--model", str(model)])  # its "Read me"
    assert first.exit_code == 1 and "no column 'text' on sheet 'Read me'" in first.stderr
    csv_file = runner.invoke(train, [str(labeled_csv), "-o", str(model), *options])
    assert csv_file.exit_code == 1
    assert "a sheet ('Labels') is named, but the file is not a workbook" in csv_file.stderr


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
