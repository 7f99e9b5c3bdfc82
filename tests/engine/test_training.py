import csv
import io
from pathlib import Path

import numpy as np
import pytest

from emolytics.engine import TrainingDataError, label_bias, training
from emolytics.engine.errors import MissingColumn
from emolytics.engine.training import (
    TrainingOptions,
    TrainingReport,
    evaluate,
    read_labeled_csv,
    train,
    tune_label_bias,
)
from tests.engine.workbook_files import XLS, ods_bytes


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return path


def test_training_reports_cross_validated_metrics(trained: TrainingReport) -> None:
    assert trained.rows == 42
    assert len(trained.fold_macro_f1) == 5
    evaluation = trained.cross_validation
    assert evaluation.labels == ("complaint", "praise", "question")
    assert evaluation.macro_f1 > 0.9
    assert set(evaluation.per_label) == {"complaint", "praise", "question"}
    assert evaluation.per_label["question"]["support"] == 14
    assert sum(map(sum, evaluation.confusion)) == 42
    assert all(evaluation.confusion[label][label] >= 12 for label in range(3))


def test_evaluate_counts_unknown_gold_labels_as_errors(trained: TrainingReport) -> None:
    texts = ["I love it", "broken, terrible", "where is it?", "where is it?"]
    evaluation = evaluate(trained.model, texts, ["praise", "complaint", "question", "other"])
    assert evaluation.accuracy == 0.75
    assert evaluation.labels[-1] == "other"
    assert evaluation.per_label["other"]["f1"] == 0.0


def test_binary_labels_train(labeled_csv: Path) -> None:
    texts, labels = read_labeled_csv(labeled_csv)
    kept = [(text, label) for text, label in zip(texts, labels, strict=True) if label != "question"]
    report = train([text for text, _ in kept], [label for _, label in kept])
    assert report.model.labels == ("complaint", "praise")
    good, bad = report.model.analyze(["wonderful, thank you", "terrible and broken"])
    assert (good.label, bad.label) == ("praise", "complaint")
    assert abs(sum(good.scores.values()) - 1.0) < 1e-9


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["text", "label"]] + [["same", "only"]] * 10, "at least 2 labels, found 1"),
        ([["text", "label"]] + [["a", "x"], ["b", "y"]] * 4, "too few for: x, y"),
        ([["body", "label"], ["a", "x"]], "no column 'text' \\(columns: body, label\\)"),
        ([["text", "label"], ["a", "x"], ["b", " "]], "line 3: empty label"),
        ([], "is empty"),
    ],
)
def test_bad_training_data_is_explained(
    tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    path = write_csv(tmp_path / "labeled.csv", rows)
    with pytest.raises(TrainingDataError, match=message):
        texts, labels = read_labeled_csv(path)
        train(texts, labels)


def test_a_labeled_csv_is_read_with_its_delimiter_as_uploads_are(tmp_path: Path) -> None:
    semicolons = tmp_path / "excel.csv"
    semicolons.write_text("text;label\nso glad, really;joy\nlate again;anger\n", "utf-8-sig")
    assert read_labeled_csv(semicolons) == (["so glad, really", "late again"], ["joy", "anger"])
    named = tmp_path / "named.csv"  # Excel's line naming the delimiter; lines count from the file
    named.write_text("sep=|\ntext|label\nso glad|joy\nlate again| \n", "utf-8")
    with pytest.raises(TrainingDataError, match="^line 4: empty label$"):
        read_labeled_csv(named)
    training.check_columns(io.BytesIO(named.read_bytes()), ("text", "label"))
    with pytest.raises(MissingColumn, match="no column 'topic'") as missing:
        training.check_columns(io.BytesIO(semicolons.read_bytes()), ("text", "topic"))
    assert (missing.value.column, missing.value.header) == ("topic", ["text", "label"])
    titled = tmp_path / "report.csv"  # a report's title and a blank line before the header
    titled.write_text('"Labels, March",\n\ntext,label\nso glad,joy\nlate again,\n', "utf-8")
    with pytest.raises(TrainingDataError, match="^line 5: empty label$"):
        read_labeled_csv(titled)
    training.check_columns(io.BytesIO(titled.read_bytes()), ("text", "label"))


def test_a_labeled_csv_is_read_as_uploads_read_it(tmp_path: Path) -> None:
    """Rows of bare delimiters (Excel writes them under a table) are no rows (each was refused
    as an empty label); an error names the line its row starts on; a row with a field too many
    is refused by its line (its text was cut at the unquoted comma, and trained on)."""
    path = tmp_path / "labeled.csv"
    path.write_text('text,label\nso glad,joy\n"late\nagain",anger\n,\n,\n', "utf-8")
    assert read_labeled_csv(path) == (["so glad", "late\nagain"], ["joy", "anger"])
    path.write_text('text,label\n"so\nglad",\nlate again,anger\n', "utf-8")
    with pytest.raises(TrainingDataError, match="^line 2: empty label$"):
        read_labeled_csv(path)
    path.write_text("text,label\nso glad, really,joy\n", "utf-8")
    with pytest.raises(TrainingDataError, match="^line 2: 3 fields, but the header has 2$"):
        read_labeled_csv(path)


def test_a_labeled_json_file_is_read_as_uploads_read_it(tmp_path: Path) -> None:
    """JSON Lines or an array of objects: a number (a class's index, as many data sets give
    their labels) as its digits, a missing or null text as empty; a value that is neither a
    string nor a number, a line that is not JSON and a missing column are named."""
    path = tmp_path / "labeled.jsonl"
    path.write_text('{"text": "so glad", "label": 3}\n{"label": "anger", "text": null}\n')
    assert read_labeled_csv(path) == (["so glad", ""], ["3", "anger"])
    array = tmp_path / "labeled.json"
    array.write_text('[\n{"text": "so glad", "label": "joy"},\n{"text": "late", "label": "x"}\n]')
    assert read_labeled_csv(array) == (["so glad", "late"], ["joy", "x"])
    for content, message in [
        ('{"text": "a", "label": "x"}\n{"text": "b", "label": ["x"]}\n', "^line 2: 'label' is"),
        ('{"text": "a", "label": "x"}\n{"text": "b",\n', "^line 2: not valid JSON"),
    ]:
        path.write_text(content)
        with pytest.raises(TrainingDataError, match=message):
            read_labeled_csv(path)
    path.write_text('{"body": "a", "label": "x"}\n')
    with pytest.raises(MissingColumn) as missing:
        training.check_columns(io.BytesIO(path.read_bytes()), ("text", "label"))
    assert (missing.value.column, missing.value.header) == ("text", ["body", "label"])


def test_a_labeled_ods_or_xls_spreadsheet_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "labeled.ods"
    path.write_bytes(ods_bytes(["text", "label"], ["so glad", "joy"], [None, None], ["late", 2]))
    assert read_labeled_csv(path) == (["so glad", "late"], ["joy", "2"])
    path = tmp_path / "survey.xls"
    path.write_bytes(XLS)
    assert read_labeled_csv(path, label_column="stars")[1] == ["5", "1", "3"]


def test_missing_training_file(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="cannot read"):
        read_labeled_csv(tmp_path / "absent.csv")


def test_label_bias_favours_a_starved_label() -> None:
    # Label 1 is always the runner-up; shifting it up recovers every gold label 1.
    gold = np.array([0, 0, 0, 1, 1, 1])
    log_probabilities = np.log(
        np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.6, 0.4], [0.6, 0.4], [0.55, 0.45]])
    )
    bias = tune_label_bias(log_probabilities, gold)
    predicted = (log_probabilities + bias).argmax(axis=1)
    assert predicted.tolist() == gold.tolist()


def test_offsets_that_help_out_of_fold_go_into_the_model(labeled_csv: Path, monkeypatch) -> None:
    texts, labels = read_labeled_csv(labeled_csv)
    options = TrainingOptions(search=None)
    plain = train(texts, labels, options)
    assert plain.label_bias is None  # every fold is right already: nothing to win back
    assert plain.macro_f1_without_bias == plain.cross_validation.macro_f1 == 1.0
    offsets = np.array([0.5, 0.0, -0.5])

    def helping(logits: np.ndarray, gold: np.ndarray) -> label_bias.LabelBias:
        return label_bias.LabelBias(offsets, (logits + offsets).argmax(axis=1), 0.75)

    monkeypatch.setattr(training, "chosen_label_bias", helping)
    biased = train(texts, labels, options)
    shift = biased.model.intercept - plain.model.intercept
    assert np.allclose(shift, offsets)
    assert np.array_equal(biased.model.weights, plain.model.weights)
    assert biased.metrics()["label_bias"] == {"complaint": 0.5, "praise": 0.0, "question": -0.5}
    assert biased.metrics()["macro_f1_without_bias"] == 0.75


def test_sgd_solver_trains_and_predicts(labeled_csv: Path) -> None:
    texts, labels = read_labeled_csv(labeled_csv)
    report = train(texts * 3, labels * 3, TrainingOptions(solver="sgd", search=None))
    assert report.cross_validation.macro_f1 > 0.8
    good, bad = report.model.analyze(["wonderful, thank you", "terrible and broken"])
    assert (good.label, bad.label) == ("praise", "complaint")


def test_unknown_solver_is_refused() -> None:
    with pytest.raises(ValueError, match="solver must be one of"):
        TrainingOptions(solver="adam")
