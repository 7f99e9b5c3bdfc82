"""Fitting one linear model with given settings, splitting rows into folds, and scoring
predictions against gold labels.

`training` (reading data, cross-validation, the final fit) and `selection` (choosing the
settings) both build on this module; `training` re-exports its names.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import log_softmax
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import KFold, StratifiedKFold

from emolytics.engine.errors import TrainingDataError
from emolytics.engine.features import FeatureCounts, FeatureSpec
from emolytics.engine.model import LinearModel, centred

FOLDS = 5
SEED = 0
BOOTSTRAP_BLOCK = 100  # resamples drawn at once (memory: texts x this many weights)
SOLVERS = ("auto", "lbfgs", "sgd")
SGD_MIN_ROWS = 10_000  # "auto" switches from L-BFGS to SGD from this many training rows
DEFAULT_BUDGET_SECONDS = 50.0  # a search's share of training time: 40k texts stay under 60 s


@dataclass(frozen=True, slots=True)
class Search:
    """Choose the settings on the data (see `selection`), within a budget.

    `seconds` (of CPU time, see `training.train`) bounds the whole training: search,
    cross-validated report and final fit (the search stops early enough to leave time for the
    last two; the first candidate, the report and the final fit always run). `candidates`,
    when set, stops it after that many candidates whatever the time (tests use it for a
    budget without clocks).
    """

    seconds: float = DEFAULT_BUDGET_SECONDS
    candidates: int | None = None

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError("the search budget must be a positive number of seconds")
        if self.candidates is not None and self.candidates < 1:
            raise ValueError("the search must try at least one candidate")


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    """How a linear model is fitted. The defaults suit a few hundred to ~100k short texts.

    With `search` set (the default), `selection` chooses the features, solver and
    regularisation on the data and the fields below are only its starting point; with
    `search=None` they are used as they are (faster, for scripts and tests).
    """

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
    search: Search | None = field(default_factory=Search)

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


def folds(gold: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The stratified 5-fold split every report and search uses: (training rows, test rows)."""
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(gold)), gold))


def small_folds(gold: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified 5-fold splits when every label has a row per fold, else shuffled 5-fold
    (for a few labeled texts, as adapting has)."""
    splitter: StratifiedKFold | KFold
    if min(Counter(gold.tolist()).values()) >= FOLDS:
        splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    else:
        splitter = KFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(gold)), gold))


def fold_scores(
    labels: tuple[str, ...],
    gold: np.ndarray,
    predicted: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[float, ...]:
    """Macro-F1 of `predicted` on each test fold of `splits`."""
    return tuple(
        evaluate_predictions(labels, gold[rows], predicted[rows]).macro_f1 for _, rows in splits
    )


def fit_rows(
    corpus: FeatureCounts,
    rows: np.ndarray,
    gold: np.ndarray,
    label_set: tuple[str, ...],
    options: TrainingOptions,
) -> LinearModel:
    """A model fitted on `rows` of `corpus` with `options` as they are (no search)."""
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
    `options.search` is ignored: this fits the settings it is given.
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


def macro_f1(gold: np.ndarray, predicted: np.ndarray, label_count: int) -> float:
    """`evaluate_predictions`' macro-F1 alone, from one count of label pairs: fast enough to
    score thousands of candidate offsets."""
    pairs = np.bincount(gold * label_count + predicted, minlength=label_count * label_count)
    matrix = pairs.reshape(label_count, label_count)
    totals = matrix.sum(axis=0) + matrix.sum(axis=1)
    present = totals > 0
    return float(np.mean(2 * np.diag(matrix)[present] / totals[present]))


def bootstrap_p(differences: np.ndarray, resamples: int = 1000) -> float:
    """The one-sided p-value of paired per-text `differences` having a positive mean: the share
    of bootstrap resamples of the texts (Poisson weights, seeded, so the same differences always
    give the same value) in which their weighted sum is not above zero; 1.0 when none differs."""
    if not np.any(differences):
        return 1.0
    random = np.random.default_rng(SEED)
    not_higher = 0
    for start in range(0, resamples, BOOTSTRAP_BLOCK):
        weights = random.poisson(1.0, (min(BOOTSTRAP_BLOCK, resamples - start), len(differences)))
        not_higher += int(np.sum(weights @ differences <= 0))
    return not_higher / resamples


def log_likelihoods(logits: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Each row's log-probability of its `gold` label under the softmax of its `logits`."""
    return log_softmax(logits, axis=1)[np.arange(len(gold)), gold]
