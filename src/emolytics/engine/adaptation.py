"""Adapting a model to a team's domain with a few hundred labeled texts (corrections).

`adapt` moves a base model (the default analyzer or a trained model) towards the labels by a
regularised refit (see `refitting`): the same features, weights pulled towards the base's,
answers on anchor texts distilled from the base. It tries a few settings, each scored by
5-fold cross-validation on the labeled texts (adapted on four folds, scored on the fifth, the
base scored on the same folds) and, with a reference, by how much it forgets on the guard texts;
it keeps the best one that beats the base and forgets at most `MAX_FORGETTING`, or the base
itself when none does. The result is a normal `LinearModel`, saved like a trained one.
"""

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import KFold, StratifiedKFold
from threadpoolctl import threadpool_limits

from emolytics.engine.errors import TrainingDataError
from emolytics.engine.fitting import FOLDS, SEED, Evaluation, evaluate_predictions
from emolytics.engine.model import LinearModel
from emolytics.engine.refitting import Anchors, RefitSettings, refit
from emolytics.engine.text import tokenize

MIN_ROWS = 20
MAX_FORGETTING = 0.01  # most macro-F1 a chosen setting may lose on the guard texts
DEFAULT_BUDGET_SECONDS = 30.0
CANDIDATES = (  # the safest first: it always runs, whatever the budget
    RefitSettings(strength=0.003, distillation=5.0),
    RefitSettings(strength=0.001, distillation=5.0),
    RefitSettings(strength=0.003, distillation=3.0),
    RefitSettings(strength=0.001, distillation=3.0),
)
ANCHORS_FILE = "default-anchors.tsv"
HELD_OUT_FILE = "default-held-out.tsv"


@dataclass(frozen=True, slots=True)
class Reference:
    """What a base model should keep answering, from its own domain: `anchors` are distilled
    from (the refit keeps agreeing with the base on them), `guard` rows (texts, gold labels)
    choose settings that do not forget, `validation` rows report forgetting and nothing else."""

    anchors: tuple[str, ...]
    guard: tuple[tuple[str, str], ...]
    validation: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Trial:
    settings: RefitSettings
    macro_f1: float  # cross-validated on the labeled texts
    forgetting: float | None  # guard macro-F1 lost against the base (None: no reference)
    seconds: float
    predicted: np.ndarray = field(repr=False)  # out-of-fold label indexes

    def as_dict(self, chosen: bool) -> dict[str, Any]:
        return {
            "settings": self.settings.describe(),
            "macro_f1": self.macro_f1,
            "forgetting": self.forgetting,
            "seconds": self.seconds,
            "chosen": chosen,
        }


@dataclass(frozen=True, slots=True)
class AdaptationReport:
    model: LinearModel
    rows: int
    cross_validation: Evaluation  # the adapted model's out-of-fold predictions, all rows
    base_cross_validation: Evaluation  # the base's predictions of the same rows
    fold_macro_f1: tuple[float, ...]
    base_fold_macro_f1: tuple[float, ...]
    trials: tuple[Trial, ...]
    chosen: Trial | None  # None: no setting beat the base without forgetting; model is the base
    forgetting: dict[str, Any] | None  # on the reference's validation rows; None: no reference

    def metrics(self) -> dict[str, Any]:
        """What a model's record keeps, shaped as training's (`TrainingReport.metrics`)."""
        return {
            **self.cross_validation.as_dict(),
            "fold_macro_f1": list(self.fold_macro_f1),
            "selection": None,
            "adaptation": {
                "rows": self.rows,
                "base_cross_validation": self.base_cross_validation.as_dict(),
                "base_fold_macro_f1": list(self.base_fold_macro_f1),
                "candidates": [trial.as_dict(trial is self.chosen) for trial in self.trials],
                "chosen": self.chosen.settings.describe() if self.chosen else None,
                "forgetting": self.forgetting,
            },
        }


def default_reference() -> Reference:
    """The default analyzer's reference, shipped in the package (GoEmotions rows, see
    engine/data/NOTICE.md): anchors from its training split; guard and validation rows from
    its dev split, alternately."""
    anchors = tuple(text for text, _ in _read_rows(_data_path(ANCHORS_FILE)))
    held_out = _read_rows(_data_path(HELD_OUT_FILE))
    return Reference(anchors, tuple(held_out[::2]), tuple(held_out[1::2]))


def adapt(
    base: LinearModel,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    reference: Reference | None = None,
    seconds: float = DEFAULT_BUDGET_SECONDS,
    on_progress: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.process_time,
) -> AdaptationReport:
    """`base` adapted to `texts` and their `labels` (from `base.labels`), with its report.

    Without a reference, the labeled texts are their own anchors and forgetting is not
    measured. `seconds` (of `clock`, CPU time by default) bounds the search: the first
    candidate and the final refit always run. Raises `TrainingDataError` for unusable data.
    Runs on one core: the refit's vector operations are too small to gain from threads, which
    only cost CPU time on a shared machine.
    """
    with threadpool_limits(limits=1):
        return _adapt(base, texts, labels, reference, seconds, on_progress, clock)


def _adapt(
    base: LinearModel,
    texts: Sequence[str],
    labels: Sequence[str],
    reference: Reference | None,
    seconds: float,
    on_progress: Callable[[str], None] | None,
    clock: Callable[[], float],
) -> AdaptationReport:
    started = clock()
    gold = check_adaptation_data(base, texts, labels)
    progress = on_progress or (lambda line: None)
    features = _features(base, texts)
    anchors = Anchors.of(base, _features(base, reference.anchors if reference else texts))
    guard = _Guard.of(base, reference.guard) if reference else None
    splits = _folds(gold)
    base_predicted = base.probabilities([_forms(text) for text in texts]).argmax(axis=1)
    base_score = evaluate_predictions(base.labels, gold, base_predicted).macro_f1
    progress(f"the base model on these {len(gold)} texts: macro-F1 {base_score:.4f}")
    trials: list[Trial] = []
    for number, settings in enumerate(CANDIDATES, start=1):
        trial_started = clock()
        spent = trial_started - started
        if trials and spent + 2 * (spent / len(trials)) > seconds:
            progress(f"time budget of {seconds:g} s reached after {len(trials)} settings")
            break
        trials.append(_trial(base, features, gold, anchors, guard, splits, settings, clock))
        trials[-1] = _timed(trials[-1], clock() - trial_started)
        progress(f"settings {number}/{len(CANDIDATES)}: {_describe(trials[-1])}")
    chosen = _choose(trials, base_score)
    if chosen is None:
        progress("no setting beat the base without forgetting: the model stays the base's")
        model, predicted = base, base_predicted
    else:
        progress(f"chosen: {chosen.settings.describe()}; refitting on all {len(gold)} texts")
        model, predicted = refit(base, features, gold, anchors, chosen.settings), chosen.predicted
    return AdaptationReport(
        model=model,
        rows=len(gold),
        cross_validation=evaluate_predictions(base.labels, gold, predicted),
        base_cross_validation=evaluate_predictions(base.labels, gold, base_predicted),
        fold_macro_f1=_fold_scores(base.labels, gold, predicted, splits),
        base_fold_macro_f1=_fold_scores(base.labels, gold, base_predicted, splits),
        trials=tuple(trials),
        chosen=chosen,
        forgetting=_forgetting(base, model, reference.validation) if reference else None,
    )


def check_adaptation_data(
    base: LinearModel, texts: Sequence[str], labels: Sequence[str]
) -> np.ndarray:
    """The labels as indexes into `base.labels`, after checking they can adapt it."""
    if len(texts) != len(labels):
        raise TrainingDataError("one label per text is required")
    if len(labels) < MIN_ROWS:
        raise TrainingDataError(
            f"adapting needs at least {MIN_ROWS} labeled texts, found {len(labels)}"
        )
    unknown = sorted(set(labels) - set(base.labels))
    if unknown:
        raise TrainingDataError(
            f"labels not in the base model: {', '.join(unknown)} "
            f"(its labels: {', '.join(base.labels)})"
        )
    if len(set(labels)) < 2:
        raise TrainingDataError("adapting needs at least 2 different labels")
    return np.array([base.labels.index(label) for label in labels])


@dataclass(frozen=True, slots=True)
class _Guard:
    features: sp.csr_matrix
    gold: np.ndarray
    base_macro_f1: float
    labels: tuple[str, ...]

    @classmethod
    def of(cls, base: LinearModel, rows: Sequence[tuple[str, str]]) -> "_Guard":
        features = _features(base, [text for text, _ in rows])
        gold = np.array([base.labels.index(label) for _, label in rows])
        guard = cls(features, gold, 0.0, base.labels)
        return cls(features, gold, guard.macro_f1(base), base.labels)

    def macro_f1(self, model: LinearModel) -> float:
        predicted = (self.features @ model.weights + model.intercept).argmax(axis=1)
        return evaluate_predictions(self.labels, self.gold, predicted).macro_f1


def _trial(
    base: LinearModel,
    features: sp.csr_matrix,
    gold: np.ndarray,
    anchors: Anchors,
    guard: _Guard | None,
    splits: list[tuple[np.ndarray, np.ndarray]],
    settings: RefitSettings,
    clock: Callable[[], float],
) -> Trial:
    predicted = np.empty_like(gold)
    lost = []
    for train_rows, test_rows in splits:
        model = refit(base, features[train_rows], gold[train_rows], anchors, settings)
        logits = features[test_rows] @ model.weights + model.intercept
        predicted[test_rows] = logits.argmax(axis=1)
        if guard is not None:
            lost.append(guard.base_macro_f1 - guard.macro_f1(model))
    macro_f1 = evaluate_predictions(base.labels, gold, predicted).macro_f1
    forgetting = float(np.mean(lost)) if guard is not None else None
    return Trial(settings, macro_f1, forgetting, 0.0, predicted)


def _timed(trial: Trial, seconds: float) -> Trial:
    return Trial(trial.settings, trial.macro_f1, trial.forgetting, seconds, trial.predicted)


def _choose(trials: list[Trial], base_score: float) -> Trial | None:
    """The best cross-validated trial that beats the base and forgets little enough."""
    kept = [
        trial
        for trial in trials
        if trial.macro_f1 > base_score
        and (trial.forgetting is None or trial.forgetting <= MAX_FORGETTING)
    ]
    return max(kept, key=lambda trial: trial.macro_f1, default=None)


def _describe(trial: Trial) -> str:
    forgetting = "" if trial.forgetting is None else f", forgets {trial.forgetting:+.4f}"
    return (
        f"{trial.settings.describe()}: macro-F1 {trial.macro_f1:.4f}{forgetting} "
        f"({trial.seconds:.1f} s)"
    )


def _folds(gold: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified 5-fold splits when every label has a row per fold, else shuffled 5-fold."""
    splitter: StratifiedKFold | KFold
    if min(Counter(gold.tolist()).values()) >= FOLDS:
        splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    else:
        splitter = KFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(gold)), gold))


def _fold_scores(
    labels: tuple[str, ...],
    gold: np.ndarray,
    predicted: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[float, ...]:
    return tuple(
        evaluate_predictions(labels, gold[rows], predicted[rows]).macro_f1 for _, rows in splits
    )


def _forgetting(
    base: LinearModel, model: LinearModel, rows: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """Macro-F1 of the base and of the adapted model on the reference's validation rows, and
    how often they give the same label."""
    texts = [text for text, _ in rows]
    gold = np.array([base.labels.index(label) for _, label in rows])
    forms = [_forms(text) for text in texts]
    base_predicted = base.probabilities(forms).argmax(axis=1)
    predicted = model.probabilities(forms).argmax(axis=1)
    return {
        "rows": len(rows),
        "base_macro_f1": evaluate_predictions(base.labels, gold, base_predicted).macro_f1,
        "macro_f1": evaluate_predictions(base.labels, gold, predicted).macro_f1,
        "agreement": float(np.mean(base_predicted == predicted)),
    }


def _features(model: LinearModel, texts: Sequence[str]) -> sp.csr_matrix:
    return model.vectorizer.transform([_forms(text) for text in texts])


def _forms(text: str) -> list[str]:
    return tokenize(text).forms


def _data_path(name: str) -> Path:
    return Path(str(resources.files("emolytics.engine").joinpath("data", name)))


def _read_rows(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of a shipped `label<TAB>text` file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        rows.append((text, label))
    return rows
