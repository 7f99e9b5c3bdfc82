"""Adapting a model to a team's domain with a few hundred labeled texts (corrections).

`adapt` moves a base model (the default analyzer or a trained model) towards the labels by a
regularised refit (see `refitting`): the same features, weights pulled towards the base's,
answers on anchor texts distilled from the base. It tries a few settings, each scored by
5-fold cross-validation on the labeled texts (adapted on four folds, scored on the fifth, the
base scored on the same folds) and, with a reference, by how much it forgets on the guard texts;
it keeps the best one that the rules of `trials` keep (it beats the base, significantly so,
and forgets little: for the cross-validation's models and for the final refit on all the
texts), or the base itself when none does.

With a reference, some candidates are gated (`gating`): a refit with no distillation, applied
to a text only as far as a gate says the text is like them; the guard judges them as any other.
The gate (one per fold) is trained on the labeled texts and the domain's unlabeled texts, when
given (a dataset's texts: a few hundred corrections alone are too few to tell a domain from the
base's), against the reference's anchors. Among the settings kept, the one whose out-of-fold
macro-F1 less (twice) what it forgets on the guard is highest wins (`trials.ranked`). The
result is a `LinearModel` (a `GatedModel` is one), saved like a trained one.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from emolytics.engine.errors import TrainingDataError
from emolytics.engine.fitting import (
    Evaluation,
    bootstrap_p,
    evaluate_predictions,
    fold_scores,
    log_likelihoods,
    small_folds,
)
from emolytics.engine.model import LinearModel
from emolytics.engine.reference import (
    Guard,
    Reference,
    feature_rows,
    measure_forgetting,
)
from emolytics.engine.refitting import Anchors, Candidate, GatedFits, RefitSettings, refit
from emolytics.engine.trials import (
    FORGETTING_WEIGHT,
    RULES,
    Trial,
    forgets_little,
    net_gain,
    ranked,
)

MIN_ROWS = 20
# unlabeled texts of the domain a gate learns from at most (evenly spread over those given)
MAX_DOMAIN_TEXTS = 10_000
DEFAULT_BUDGET_SECONDS = 30.0


def _gated(strength: float, offsets: tuple[float, ...]) -> tuple[Candidate, ...]:
    """Gated candidates of one refit (no distillation), the most closed gates first."""
    settings = RefitSettings(strength=strength, distillation=0.0)
    return tuple(
        Candidate(settings, temperature=temperature, offset=offset)
        for offset in offsets
        for temperature in (0.5, 0.25)
    )


CANDIDATES = (  # the safest first: it always runs, whatever the budget
    Candidate(RefitSettings(strength=0.003, distillation=10.0)),
    # gated: the first of each strength trains the folds' refits (the gates are shared), the
    # others reuse them (cheap)
    *_gated(0.001, (-2.0, -1.5, -1.0)),
    *_gated(0.003, (-2.0, -1.5, -1.0, -0.5, 0.0)),
    Candidate(RefitSettings(strength=0.003, distillation=5.0)),
    Candidate(RefitSettings(strength=0.001, distillation=5.0)),
    Candidate(RefitSettings(strength=0.001, distillation=3.0)),
    Candidate(RefitSettings(strength=0.01, distillation=1.0)),
)


@dataclass(frozen=True, slots=True)
class AdaptationReport:
    model: LinearModel
    rows: int
    domain_texts: int  # unlabeled texts the gates learnt the domain from (0: none, or no gates)
    cross_validation: Evaluation  # the adapted model's out-of-fold predictions, all rows
    base_cross_validation: Evaluation  # the base's predictions of the same rows
    fold_macro_f1: tuple[float, ...]
    base_fold_macro_f1: tuple[float, ...]
    trials: tuple[Trial, ...]
    chosen: Trial | None  # None: no setting clearly beat the base, or all forget; model is base
    forgot: tuple[Trial, ...]  # kept, but forgot too much once refitted on every labeled text
    forgetting: dict[str, Any] | None  # on the reference's validation rows; None: no reference

    def metrics(self) -> dict[str, Any]:
        """What a model's record keeps, shaped as training's (`TrainingReport.metrics`)."""
        return {
            **self.cross_validation.as_dict(),
            "fold_macro_f1": list(self.fold_macro_f1),
            "selection": None,
            "adaptation": {
                "rows": self.rows,
                "domain_texts": self.domain_texts,
                "base_cross_validation": self.base_cross_validation.as_dict(),
                "base_fold_macro_f1": list(self.base_fold_macro_f1),
                "candidates": [
                    {**trial.as_dict(trial is self.chosen), "verdict": self.verdict(trial)}
                    for trial in self.trials
                ],
                "chosen": self.chosen.candidate.describe() if self.chosen else None,
                "rules": RULES,
                "forgetting": self.forgetting,
            },
        }

    def verdict(self, trial: Trial) -> str:
        """Whether `trial` was chosen, and if not, why not, in words."""
        if trial is self.chosen:
            return "chosen"
        if any(trial is refused for refused in self.forgot):
            return "forgot too much once refitted on every labeled text"
        refusal = trial.refusal(self.base_cross_validation.macro_f1)
        if refusal or self.chosen is None:
            return refusal or "kept; another ranked higher"
        net, best = net_gain(trial), net_gain(self.chosen)
        if net < best:
            return (
                f"kept; {net:.4f} after forgetting (macro-F1 less {FORGETTING_WEIGHT:g} × "
                f"forgets), the chosen {best:.4f}"
            )
        return f"kept; as good as the chosen ({net:.4f} after forgetting), which was tried first"


def adapt(
    base: LinearModel,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    reference: Reference | None = None,
    domain: Sequence[str] = (),
    seconds: float = DEFAULT_BUDGET_SECONDS,
    on_progress: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.process_time,
) -> AdaptationReport:
    """`base` adapted to `texts` and their `labels` (from `base.labels`), with its report.

    Without a reference, the labeled texts are their own anchors and forgetting is not
    measured. `domain`: unlabeled texts of the labeled texts' domain, which teach the gates (with
    a reference) what it looks like; at most `MAX_DOMAIN_TEXTS` of them, evenly spread, are used.
    `seconds` (of `clock`, CPU time by default) bounds the search: the first candidate and the
    final refit always run. Raises `TrainingDataError` for unusable data.
    Runs on one core: the refit's vector operations are too small to gain from threads.
    """
    unlabeled = domain
    if len(domain) > MAX_DOMAIN_TEXTS:
        unlabeled = [domain[i * len(domain) // MAX_DOMAIN_TEXTS] for i in range(MAX_DOMAIN_TEXTS)]
    with threadpool_limits(limits=1):
        return _adapt(base, texts, labels, reference, unlabeled, seconds, on_progress, clock)


def _adapt(
    base: LinearModel,
    texts: Sequence[str],
    labels: Sequence[str],
    reference: Reference | None,
    domain: Sequence[str],
    seconds: float,
    on_progress: Callable[[str], None] | None,
    clock: Callable[[], float],
) -> AdaptationReport:
    started = clock()
    gold = check_adaptation_data(base, texts, labels)
    progress = on_progress or (lambda line: None)
    features = feature_rows(base, texts)
    anchors = Anchors.of(base, feature_rows(base, reference.anchors if reference else texts))
    guard = Guard.of(base, reference.guard) if reference else None
    splits = small_folds(gold)
    gated = None
    if reference:
        unlabeled = feature_rows(base, domain) if domain else None
        gated = GatedFits(base, features, gold, anchors.features, unlabeled)
    base_logits = base.logits(features)
    base_predicted = base_logits.argmax(axis=1)
    base_likelihoods = log_likelihoods(base_logits, gold)
    base_score = evaluate_predictions(base.labels, gold, base_predicted).macro_f1
    progress(f"the base model on these {len(gold)} texts: macro-F1 {base_score:.4f}")
    tried: list[Trial] = []
    candidates = [c for c in CANDIDATES if gated is not None or c.temperature is None]
    for number, candidate in enumerate(candidates, start=1):
        trial_started = clock()
        spent = trial_started - started
        if tried and spent + 2 * (spent / len(tried)) > seconds:
            progress(f"time budget of {seconds:g} s reached after {len(tried)} settings")
            break
        trial = _trial(base, features, gold, anchors, guard, splits, candidate, gated)
        gains = trial.likelihoods - base_likelihoods
        changed = int(np.sum((trial.predicted == gold) != (base_predicted == gold)))
        scores = {"gain": float(np.mean(gains)), "p_value": bootstrap_p(gains), "changed": changed}
        tried.append(replace(trial, seconds=clock() - trial_started, **scores))
        progress(f"settings {number}/{len(candidates)}: {tried[-1].describe()}")
    model, chosen, forgot = base, None, []
    everything = np.arange(len(gold))
    for trial in ranked(tried, base_score):
        progress(f"refitting on all {len(gold)} texts with {trial.candidate.describe()}")
        adapted = _fitted(base, features, gold, anchors, trial.candidate, gated, None, everything)
        if guard is None or forgets_little(*guard.compare(adapted)):
            model, chosen = adapted, trial
            break
        forgot.append(trial)
        progress("it forgets too much on the guard texts once fitted on all of them")
    if chosen is None:
        progress("no setting clearly beat the base without forgetting: the model stays the base's")
    predicted = base_predicted if chosen is None else chosen.predicted
    return AdaptationReport(
        model=model,
        rows=len(gold),
        domain_texts=len(domain) if gated is not None else 0,
        cross_validation=evaluate_predictions(base.labels, gold, predicted),
        base_cross_validation=evaluate_predictions(base.labels, gold, base_predicted),
        fold_macro_f1=fold_scores(base.labels, gold, predicted, splits),
        base_fold_macro_f1=fold_scores(base.labels, gold, base_predicted, splits),
        trials=tuple(tried),
        chosen=chosen,
        forgot=tuple(forgot),
        forgetting=measure_forgetting(base, model, reference.validation) if reference else None,
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


def _trial(
    base: LinearModel,
    features: sp.csr_matrix,
    gold: np.ndarray,
    anchors: Anchors,
    guard: Guard | None,
    splits: list[tuple[np.ndarray, np.ndarray]],
    candidate: Candidate,
    gated: GatedFits | None,
) -> Trial:
    predicted = np.empty_like(gold)
    likelihoods = np.empty(len(gold))
    compared = []  # per fold: (guard macro-F1 lost, guard agreement)
    for fold, (train_rows, test_rows) in enumerate(splits):
        model = _fitted(base, features, gold, anchors, candidate, gated, fold, train_rows)
        logits = model.logits(features[test_rows])
        predicted[test_rows] = logits.argmax(axis=1)
        likelihoods[test_rows] = log_likelihoods(logits, gold[test_rows])
        if guard is not None:
            compared.append(guard.compare(model))
    macro_f1 = evaluate_predictions(base.labels, gold, predicted).macro_f1
    forgetting, agreement = np.mean(compared, axis=0).tolist() if compared else (None, None)
    return Trial(candidate, macro_f1, forgetting, agreement, 0.0, predicted, likelihoods)


def _fitted(
    base: LinearModel,
    features: sp.csr_matrix,
    gold: np.ndarray,
    anchors: Anchors,
    candidate: Candidate,
    gated: GatedFits | None,
    fold: int | None,
    rows: np.ndarray,
) -> LinearModel:
    """`base` adapted to `rows` as `candidate` says (`fold`: which gate; None for all rows)."""
    if candidate.temperature is None:
        return refit(base, features[rows], gold[rows], anchors, candidate.settings)
    if gated is None:
        raise ValueError("a gated candidate needs a reference's anchors")
    return gated.model(fold, rows, candidate.settings, candidate.offset, candidate.temperature)
