"""Training and evaluating linear models on labeled texts (any label set with two or more).

One fit with given settings is `fitting`; choosing the settings is `selection`.
"""

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from emolytics.engine.errors import TrainingDataError
from emolytics.engine.features import FeatureCounts
from emolytics.engine.fitting import (
    FOLDS,
    SEED,
    Evaluation,
    Search,
    TrainingOptions,
    evaluate_predictions,
    fit_rows,
    fit_weights,
    folds,
)
from emolytics.engine.label_bias import chosen as chosen_label_bias
from emolytics.engine.label_bias import tune_label_bias
from emolytics.engine.labeled_files import check_columns, read_labeled_csv, read_texts_csv
from emolytics.engine.model import LinearModel
from emolytics.engine.selection import Selection, select
from emolytics.engine.text import tokenize

__all__ = [  # with fitting's names, which scripts and benchmarks import from here
    "FOLDS",
    "MIN_ROWS_PER_LABEL",
    "SEED",
    "Evaluation",
    "Search",
    "TrainingOptions",
    "TrainingReport",
    "check_columns",
    "check_training_data",
    "evaluate",
    "evaluate_predictions",
    "fit_model",
    "fit_weights",
    "forms_of",
    "read_labeled_csv",
    "read_texts_csv",
    "train",
    "tune_label_bias",
]

MIN_ROWS_PER_LABEL = FOLDS  # stratified k-fold needs one row per label in every fold


@dataclass(frozen=True, slots=True)
class TrainingReport:
    model: LinearModel
    cross_validation: Evaluation  # out-of-fold predictions over all rows
    fold_macro_f1: tuple[float, ...]
    rows: int
    selection: Selection | None = None  # None when trained with fixed settings
    # Per-label offsets added to the model's logits (`label_bias`), None when none helped; and
    # the cross-validated macro-F1 without them (`cross_validation` is with them, if any).
    label_bias: dict[str, float] | None = None
    macro_f1_without_bias: float | None = None

    def metrics(self) -> dict[str, Any]:
        """What a model's record keeps: the cross-validation, per fold, the search, and the
        per-label offsets."""
        return {
            **self.cross_validation.as_dict(),
            "fold_macro_f1": list(self.fold_macro_f1),
            "selection": self.selection.as_dict() if self.selection else None,
            "label_bias": self.label_bias,
            "macro_f1_without_bias": self.macro_f1_without_bias,
        }


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
    texts: Sequence[str],
    labels: Sequence[str],
    options: TrainingOptions | None = None,
    *,
    on_progress: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.process_time,
) -> TrainingReport:
    """Choose the settings (see `selection`; skipped when `options.search` is None), report
    them by stratified 5-fold cross-validation, then fit a model on all rows, with per-label
    offsets when they raise macro-F1 out of fold (see `label_bias`).

    `on_progress` receives the search's progress lines; `clock` (in seconds) is what the
    search's time budget is measured on, from this call on: by default this process's CPU
    time, so that other processes sharing the machine do not shrink the search (on an idle
    core it is the wall time).
    """
    started = clock()
    options = options or TrainingOptions()
    label_set = check_training_data(labels)
    if len(texts) != len(labels):
        raise TrainingDataError("one label per text is required")
    gold = np.array([label_set.index(label) for label in labels])
    forms = [forms_of(text) for text in texts]
    selection = None
    if options.search is None:
        corpus = FeatureCounts.of(options.features, forms)
    else:
        deadline = started + options.search.seconds
        selection = select(
            forms, gold, label_set, options, deadline=deadline, clock=clock, on_progress=on_progress
        )
        corpus = selection.corpus
    logits = np.empty((len(gold), len(label_set)))
    for fold, (train_rows, test_rows) in enumerate(folds(gold)):
        if selection is not None and fold in selection.logits:
            logits[test_rows] = selection.logits[fold]
        else:
            fold_options = _fixed(options, selection, len(train_rows))
            model = fit_rows(corpus, train_rows, gold, label_set, fold_options)
            test_forms = [forms[row] for row in test_rows]
            logits[test_rows] = model.logits(model.vectorizer.transform(test_forms))
    bias = chosen_label_bias(logits, gold)
    predicted = bias.predicted
    fold_scores = [
        evaluate_predictions(label_set, gold[test_rows], predicted[test_rows]).macro_f1
        for _, test_rows in folds(gold)
    ]
    all_rows = np.arange(len(gold))
    final = fit_rows(corpus, all_rows, gold, label_set, _fixed(options, selection, len(gold)))
    offsets = None
    if bias.offsets is not None:
        intercept = final.intercept + bias.offsets
        final = LinearModel(label_set, final.vectorizer, final.weights, intercept)
        offsets = {label: float(x) for label, x in zip(label_set, bias.offsets, strict=True)}
    return TrainingReport(
        model=final,
        cross_validation=evaluate_predictions(label_set, gold, predicted),
        fold_macro_f1=tuple(fold_scores),
        rows=len(gold),
        selection=selection,
        label_bias=offsets,
        macro_f1_without_bias=bias.macro_f1_without,
    )


def _fixed(options: TrainingOptions, selection: Selection | None, rows: int) -> TrainingOptions:
    """The settings to fit `rows` training rows with: the chosen ones, or `options`."""
    return options if selection is None else selection.chosen.options(options, rows)


def fit_model(
    texts: Sequence[str], labels: Sequence[str], options: TrainingOptions | None = None
) -> LinearModel:
    """Fit a model on all rows with the fixed settings of `options`, without cross-validation
    or search (see `train` for both)."""
    options = options or TrainingOptions()
    label_set = check_training_data(labels)
    gold = np.array([label_set.index(label) for label in labels])
    corpus = FeatureCounts.of(options.features, [forms_of(text) for text in texts])
    return fit_rows(corpus, np.arange(len(gold)), gold, label_set, options)


def forms_of(text: str) -> list[str]:
    return tokenize(text).forms


def evaluate(model: LinearModel, texts: Sequence[str], labels: Sequence[str]) -> Evaluation:
    """Score `model` on labeled texts. Gold labels unknown to the model count as errors."""
    if not texts:
        raise TrainingDataError("no labeled rows to evaluate")
    unknown = sorted(set(labels) - set(model.labels))
    label_set = model.labels + tuple(unknown)
    gold = np.array([label_set.index(label) for label in labels])
    predicted = model.probabilities([forms_of(text) for text in texts]).argmax(axis=1)
    return evaluate_predictions(label_set, gold, predicted)
