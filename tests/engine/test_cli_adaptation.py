import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from emolytics.cli_training import train
from emolytics.engine.artifacts import load_model, save_model
from emolytics.engine.model import LinearModel
from emolytics.engine.training import TrainingReport
from tests.engine.parcel_domain import domain_rows


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


@pytest.fixture
def corrections(tmp_path: Path) -> Path:
    texts, labels = domain_rows()
    return write_csv(tmp_path / "corrections.csv", list(zip(texts, labels, strict=True)))


def test_train_with_base_default_adapts_and_reports(corrections: Path, tmp_path: Path) -> None:
    output = tmp_path / "adapted.zip"
    arguments = [str(corrections), "--base", "default", "-o", str(output), "--budget", "1"]
    result = CliRunner().invoke(train, arguments)
    assert result.exit_code == 0, result.output
    assert "the base model on these 96 texts: macro-F1" in result.stderr
    assert "settings 1/21: L2 " in result.stderr
    assert "adapted model default with 96 labeled texts" in result.stdout
    assert "settings chosen: L2 " in result.stdout
    [chosen] = [line.split() for line in result.stdout.splitlines() if line.startswith("* ")]
    macro_f1, changed = float(chosen[-7]), int(chosen[-6])
    likelihood, p_value = float(chosen[-5]), float(chosen[-4])
    assert macro_f1 > 0.5 and changed >= 10 and likelihood > 0 and p_value < 0.05
    refused = [line for line in result.stdout.splitlines() if line.startswith("      not chosen: ")]
    tried = [line for line in result.stderr.splitlines() if line.startswith("settings ")]
    assert len(refused) == len(tried) - 1  # each setting but the chosen one says why
    base_line, adapted_line = [line.split() for line in result.stdout.splitlines()
                               if line.startswith(("  base ", "  adapted "))]  # fmt: skip
    assert float(adapted_line[1]) > float(base_line[1]) + 0.2  # cross-validated macro-F1
    assert "forgetting, on 1,000 validation texts of the base's domain" in result.stdout
    model, metadata = load_model(output)
    assert model.analyze(["my lamp arrived broken, just perfect"])[0].label == "anger"
    assert metadata["details"]["base"] == "default"
    assert metadata["details"]["forgetting"]["rows"] == 1000
    assert metadata["details"]["languages"] == ["en"]  # it reads what the default reads


def test_train_with_a_trained_base_file(trained: TrainingReport, tmp_path: Path) -> None:
    base = tmp_path / "shop.zip"
    save_model(trained.model, base)
    rows = [(f"where is my refund {number}", "complaint") for number in range(10)]
    rows += [(f"when do you open on day {number}", "question") for number in range(10)]
    labeled = write_csv(tmp_path / "more.csv", rows)
    output = tmp_path / "adapted.zip"
    arguments = [str(labeled), "--base", str(base), "-o", str(output), "--budget", "1"]
    result = CliRunner().invoke(train, arguments)
    assert result.exit_code == 0, result.output
    assert f"adapted model {base} with 20 labeled texts" in result.stdout
    assert "forgetting: not available" in result.stdout
    model, metadata = load_model(output)
    assert isinstance(model, LinearModel) and model.labels == trained.model.labels
    assert metadata["details"]["base"] == "shop.zip"
    assert metadata["details"]["languages"] == []  # the base file records none: it reads all


@pytest.mark.parametrize(
    ("rows", "base", "message"),
    [
        (None, "missing.zip", "missing.zip: model file not found"),
        ([("so happy", "joy")] * 10 + [("so sad", "sadness")] * 9, "default",
         "adapting needs at least 20 labeled texts, found 19"),
        ([("so happy", "joy")] * 10 + [("broken", "complaint")] * 10, "default",
         "labels not in the base model: complaint (its labels: anger, disgust, fear, joy, "),
        ([], "default", "adapting needs at least 20 labeled texts, found 0"),
    ],
)  # fmt: skip
def test_train_with_base_refuses_bad_input(
    corrections: Path, tmp_path: Path, rows, base: str, message: str
) -> None:
    labeled = corrections if rows is None else write_csv(tmp_path / "bad.csv", rows)
    output = tmp_path / "adapted.zip"
    result = CliRunner().invoke(train, [str(labeled), "--base", base, "-o", str(output)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert not output.exists()


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    output = tmp_path / "adapted.zip"
    result = CliRunner().invoke(train, [str(empty), "--base", "default", "-o", str(output)])
    assert result.exit_code == 1
    assert "empty" in result.stderr
    assert not output.exists()


@pytest.mark.parametrize("option", [["--fixed"], ["--candidates", "2"]])
def test_base_with_search_options_is_a_usage_error(
    corrections: Path, tmp_path: Path, option: list[str]
) -> None:
    output = tmp_path / "adapted.zip"
    arguments = [str(corrections), "--base", "default", "-o", str(output), *option]
    result = CliRunner().invoke(train, arguments)
    assert result.exit_code == 2
    assert "--base adapts a model: drop --fixed and --candidates." in result.stderr
    assert not output.exists()


def test_unlabeled_texts_of_the_domain_teach_the_default_adapted(
    corrections: Path, tmp_path: Path
) -> None:
    domain = tmp_path / "domain.csv"
    towns = ("leeds", "york", "bath")
    domain.write_text(
        "text,source\n" + "".join(f"the box left the depot in {town},shop\n" for town in towns)
        + ",blank lines are skipped\n",
        encoding="utf-8",
    )  # fmt: skip
    output = tmp_path / "adapted.zip"
    arguments = [str(corrections), "--base", "default", "-o", str(output), "--budget", "1"]
    result = CliRunner().invoke(train, [*arguments, "--domain", str(domain)])
    assert result.exit_code == 0, result.output
    assert "its gates learnt what the domain looks like from 3 unlabeled texts" in result.stdout
    assert load_model(output)[1]["details"]["domain_texts"] == 3


@pytest.mark.parametrize(
    ("base", "content", "exit_code", "message"),
    [
        (None, "text\nfine\n", 2, "--domain goes with --base default"),
        ("shop.zip", "text\nfine\n", 2, "--domain goes with --base default"),
        ("default", "words\nfine\n", 1, "domain.csv: no column 'text' (columns: words)"),
        ("default", None, 1, "domain.csv: cannot read the file"),
    ],
)  # fmt: skip
def test_domain_texts_on_bad_terms_are_refused(
    corrections: Path, tmp_path: Path, base, content, exit_code: int, message: str
) -> None:
    domain = tmp_path / "domain.csv"
    if content is not None:
        domain.write_text(content, encoding="utf-8")
    output = tmp_path / "adapted.zip"
    arguments = [str(corrections), "-o", str(output), "--domain", str(domain)]
    arguments += (
        [] if base is None else ["--base", str(tmp_path / base) if base != "default" else base]
    )
    result = CliRunner().invoke(train, arguments)
    assert result.exit_code == exit_code
    assert message in result.stderr
    assert not output.exists()
