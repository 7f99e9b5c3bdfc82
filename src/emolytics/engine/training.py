"""Training and evaluating linear models on labeled texts (any label set with two or more)."""

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from emolytics.engine.decoding import HEAD_BYTES, detect_encoding, text_stream
from emolytics.engine.errors import InputFormatError, TrainingDataError
from emolytics.engine.features import FeatureCounts, FeatureSpec
from emolytics.engine.model import LinearModel, centred
from emolytics.engine.text import tokenize

FOLDS = 5
MIN_ROWS_PER_LABEL = FOLDS  # stratified k-fold needs one row per label in every fold
SEED = 0
SOLVERS = ("auto", "lbfgs", "sgd")
SGD_MIN_ROWS = 10_000  # "auto" switches from L-BFGS to SGD from this many training rows


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    """How a linear model is fitted. The defaults suit a few hundred to ~100k short texts."""

    features: FeatureSpec = field(default_factory=FeatureSpec)
    min_df: int = 2  # features seen in fewer training texts are dropped
    regularisation: float = 4.0  # LogisticRegression's C: larger fits the training data closer
    balanced: bool = True  # weight labels inversely to their frequency (better macro-F1)
    # "lbfgs": exact multinomial logistic regression (C = `regularisation`); "sgd": one-vs-rest
    # logistic loss, a fixed number of averaged SGD epochs (L2 strength `sgd_alpha`), about
    # 8x faster at 40k texts for 0.3 points of macro-F1; "auto": SGD from SGD_MIN_ROWS rows.
    solver: str = "auto"
    sgd_alpha: float = 3e-5
    sgd_epochs: int = 10

    def __post_init__(self) -> None:
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(SOLVERS)}")


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Quality of predictions against gold labels."""

    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    per_label: dict[str, dict[str, float]]  # label -> precision, recall, f1, support
    confusion: list[list[int]]  # rows: gold label, columns: predicted label (order of `labels`)

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_label": self.per_label,
            "confusion": self.confusion,
        }


@dataclass(frozen=True, slots=True)
class TrainingReport:
    model: LinearModel
    cross_validation: Evaluation  # out-of-fold predictions over all rows
    fold_macro_f1: tuple[float, ...]
    rows: int


def read_labeled_csv(
    path: Path, text_column: str = "text", label_column: str = "label"
) -> tuple[list[str], list[str]]:
    """Texts and labels from a CSV file with a header row, in any encoding a dataset upload
    accepts.

    Raises `TrainingDataError` for an unreadable file, a missing column or an empty label
    (with its line number). Messages never name `path` (on the server it is a temporary file);
    callers that know what the user called the file add it.
    """
    texts: list[str] = []
    labels: list[str] = []
    try:
        with path.open("rb") as binary:
            reader = csv.DictReader(_text(binary))
            _require_columns(reader.fieldnames, (text_column, label_column))
            for row in reader:
                label = (row.get(label_column) or "").strip()
                if not label:
                    raise TrainingDataError(f"line {reader.line_num}: empty label")
                texts.append(row.get(text_column) or "")
                labels.append(label)
    except OSError as error:
        raise TrainingDataError(f"cannot read the file: {error.strerror}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise TrainingDataError(f"not a readable CSV file ({error})") from error
    return texts, labels


def _text(binary: BinaryIO) -> TextIO:
    try:
        encoding = detect_encoding(binary.read(HEAD_BYTES))
    except InputFormatError as error:
        raise TrainingDataError(str(error)) from error
    binary.seek(0)
    return text_stream(binary, encoding)


def _require_columns(header: Sequence[str] | None, columns: Sequence[str]) -> None:
    if not header:
        raise TrainingDataError("the file is empty (a header row is required)")
    for column in columns:
        if column not in header:
            found = ", ".join(header)
            raise TrainingDataError(f"no column {column!r} (columns: {found})")


def check_training_data(labels: Sequence[str]) -> tuple[str, ...]:
    """The sorted label set, after checking there is enough data to train and cross-validate."""
    counts = Counter(labels)
    if len(counts) < 2:
        raise TrainingDataError(f"training needs at least 2 labels, found {len(counts)}")
    scarce = sorted(label for label, count in counts.items() if count < MIN_ROWS_PER_LABEL)
    if scarce:
        raise TrainingDataError(
            f"each label needs at least {MIN_ROWS_PER_LABEL} rows; too few for: {', '.join(scarce)}"
        )
    return tuple(sorted(counts))


def train(
    texts: Sequence[str], labels: Sequence[str], options: TrainingOptions | None = None
) -> TrainingReport:
    """Cross-validate (stratified 5-fold) then fit a model on all rows."""
    options = options or TrainingOptions()
    label_set = check_training_data(labels)
    if len(texts) != len(labels):
        raise TrainingDataError("one label per text is required")
    gold = np.array([label_set.index(label) for label in labels])
    forms = [forms_of(text) for text in texts]
    corpus = FeatureCounts.of(options.features, forms)
    predicted = np.empty_like(gold)
    fold_scores = []
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train_rows, test_rows in folds.split(np.zeros(len(gold)), gold):
        model = _fit(corpus, train_rows, gold, label_set, options)
        test_forms = [forms[row] for row in test_rows]
        predicted[test_rows] = model.probabilities(test_forms).argmax(axis=1)
        fold_scores.append(
            evaluate_predictions(label_set, gold[test_rows], predicted[test_rows]).macro_f1
        )
    final = _fit(corpus, np.arange(len(gold)), gold, label_set, options)
    return TrainingReport(
        model=final,
        cross_validation=evaluate_predictions(label_set, gold, predicted),
        fold_macro_f1=tuple(fold_scores),
        rows=len(gold),
    )


def fit_model(
    texts: Sequence[str], labels: Sequence[str], options: TrainingOptions | None = None
) -> LinearModel:
    """Fit a model on all rows, without cross-validation (see `train` for metrics)."""
    options = options or TrainingOptions()
    label_set = check_training_data(labels)
    gold = np.array([label_set.index(label) for label in labels])
    corpus = FeatureCounts.of(options.features, [forms_of(text) for text in texts])
    return _fit(corpus, np.arange(len(gold)), gold, label_set, options)


def forms_of(text: str) -> list[str]:
    return tokenize(text).forms


def _fit(
    corpus: FeatureCounts,
    rows: np.ndarray,
    gold: np.ndarray,
    label_set: tuple[str, ...],
    options: TrainingOptions,
) -> LinearModel:
    try:
        vectorizer, features = corpus.fit(rows, options.min_df)
    except ValueError as error:
        raise TrainingDataError(f"cannot train: {error}") from error
    weights, intercept = fit_weights(features, gold[rows], len(label_set), options)
    return LinearModel(label_set, vectorizer, weights, intercept)


def fit_weights(
    features: sp.csr_matrix,
    targets: np.ndarray,
    label_count: int,
    options: TrainingOptions,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit logistic regression; return weights (features, labels, centred) and intercept.

    `targets` are label indexes in `range(label_count)`, each present at least once.
    """
    class_weight = "balanced" if options.balanced else None
    solver = options.solver
    if solver == "auto":
        solver = "sgd" if features.shape[0] >= SGD_MIN_ROWS else "lbfgs"
    classifier: LogisticRegression | SGDClassifier
    if solver == "sgd":
        classifier = SGDClassifier(
            loss="log_loss",
            alpha=options.sgd_alpha,
            max_iter=options.sgd_epochs,
            tol=None,  # a fixed number of epochs: predictable time, no convergence warning
            class_weight=class_weight,
            average=True,
            random_state=SEED,
        )
    else:
        classifier = LogisticRegression(
            C=options.regularisation, class_weight=class_weight, max_iter=1000, tol=1e-3
        )
    classifier.fit(features, targets, sample_weight=sample_weight)
    weights = classifier.coef_.T
    intercept = classifier.intercept_
    if label_count == 2:  # binary: scikit-learn keeps one column, for the second label
        weights = np.hstack([-weights / 2, weights / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return centred(weights), intercept


def tune_label_bias(log_probabilities: np.ndarray, gold: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Per-label offsets to add to log-probabilities that maximise macro-F1 on `gold`.

    Coordinate ascent over a fixed grid, so the result is deterministic. Tune on out-of-fold
    predictions, never on the data a model is reported on.
    """
    label_count = log_probabilities.shape[1]
    bias = np.zeros(label_count)
    grid = np.round(np.arange(-2.0, 2.01, 0.1), 2)
    label_set = tuple(str(label) for label in range(label_count))

    def score(candidate: np.ndarray) -> float:
        predicted = (log_probabilities + candidate).argmax(axis=1)
        return evaluate_predictions(label_set, gold, predicted).macro_f1

    for _ in range(rounds):
        for label in range(label_count):
            trials = [np.where(np.arange(label_count) == label, offset, bias) for offset in grid]
            bias = max(trials, key=score)
    return bias


def evaluate(model: LinearModel, texts: Sequence[str], labels: Sequence[str]) -> Evaluation:
    """Score `model` on labeled texts. Gold labels unknown to the model count as errors."""
    if not texts:
        raise TrainingDataError("no labeled rows to evaluate")
    unknown = sorted(set(labels) - set(model.labels))
    label_set = model.labels + tuple(unknown)
    gold = np.array([label_set.index(label) for label in labels])
    predicted = model.probabilities([forms_of(text) for text in texts]).argmax(axis=1)
    return evaluate_predictions(label_set, gold, predicted)


def evaluate_predictions(
    label_set: Sequence[str], gold: np.ndarray, predicted: np.ndarray
) -> Evaluation:
    """Accuracy, macro-F1 (over labels present in gold or predictions), per-label scores."""
    present = sorted(set(gold.tolist()) | set(predicted.tolist()))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=present, zero_division=0.0
    )
    per_label = {
        label_set[index]: {
            "precision": float(precision[position]),
            "recall": float(recall[position]),
            "f1": float(f1[position]),
            "support": int(support[position]),
        }
        for position, index in enumerate(present)
    }
    matrix = confusion_matrix(gold, predicted, labels=list(range(len(label_set))))
    return Evaluation(
        labels=tuple(label_set),
        accuracy=float(np.mean(gold == predicted)),
        macro_f1=float(np.mean(f1)),
        per_label=per_label,
        confusion=matrix.tolist(),
    )
