"""Choosing a trainable model's settings on the user's data, within a time budget.

A candidate is a feature set, a solver and a regularisation strength C. The search goes coarse
to fine: C on a coarse grid with the richest features; the other feature sets at the best C;
C halved and doubled around the best; on large data, where SGD is the solver, exact L-BFGS at
the best settings last (it costs about `LBFGS_COST_RATIO` SGD fits). Each candidate is scored
by macro-F1 on held-out folds of the stratified split the cross-validated report uses (3 folds
below `SMALL_ROWS` rows, 1 from there), so the report reuses the winner's logits on them.

Feature counts are computed once per feature set, and each fold's vocabulary, IDF and
matrices once per feature set and fold, shared by every C and solver. Before each candidate,
its cost (measured on earlier ones) plus what the report and the final fit of the best would
cost is checked against the budget; the search stops when that would overrun, and says so.
Deterministic for a given number of candidates tried (fixed folds and seeds).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from emolytics.engine.features import FeatureCounts, FeatureSpec
from emolytics.engine.fitting import (
    FOLDS,
    SGD_MIN_ROWS,
    Search,
    TrainingOptions,
    evaluate_predictions,
    fit_weights,
    folds,
)

# Richest first: the coarse grid runs on the first one.
FEATURE_SETS: dict[str, FeatureSpec] = {
    "words, pairs, characters x0.6": FeatureSpec(char_weight=0.6),
    "words and pairs": FeatureSpec(char_max=0),
    "words, pairs, characters": FeatureSpec(),
    "words": FeatureSpec(word_ngrams=1, char_max=0),
}
COARSE_C = (2.0, 8.0, 0.5, 32.0)  # most often best first: a short budget tries those
FINE_STEP = 2.0
SMALL_ROWS = 5_000  # below this many rows the search scores 3 folds, from it 1
LBFGS_COST_RATIO = 8.0  # an L-BFGS fit against an SGD fit of the same rows (measured at 40k)
FINAL_FIT_COST = 1.25  # the final fit sees all rows, a fold's fit 4/5 of them
SOLVER_NAMES = {"lbfgs": "L-BFGS", "sgd": "averaged SGD"}

Clock = Callable[[], float]
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Candidate:
    """Settings to try. SGD's L2 strength is 1 / (C x training rows): the same objective as
    L-BFGS's C, so one grid serves both."""

    features: str  # a key of FEATURE_SETS
    solver: str  # "lbfgs" or "sgd"
    regularisation: float  # C: larger fits the training data closer

    def options(self, base: TrainingOptions, rows: int) -> TrainingOptions:
        """Fixed options that fit this candidate on `rows` training rows."""
        return replace(
            base,
            features=FEATURE_SETS[self.features],
            solver=self.solver,
            regularisation=self.regularisation,
            sgd_alpha=1.0 / (self.regularisation * rows),
            search=None,
        )

    def describe(self) -> str:
        return f"{self.features}; {SOLVER_NAMES[self.solver]}, C={self.regularisation:g}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "solver": self.solver,
            "regularisation": self.regularisation,
            "description": self.describe(),
        }


@dataclass(frozen=True, slots=True)
class Trial:
    """A candidate and its cross-validated score."""

    candidate: Candidate
    macro_f1: float  # mean over the search's folds
    seconds: float


@dataclass(frozen=True, slots=True)
class Selection:
    """What the search tried, what it chose and why it stopped."""

    chosen: Candidate
    trials: tuple[Trial, ...]  # in the order tried
    folds: int  # folds (of FOLDS) each candidate was scored on
    seconds: float  # the search's own time
    budget: Search
    stopped: str | None  # "time budget" or "candidate budget" when candidates were left
    corpus: FeatureCounts  # the chosen feature set's counts, for the report and final fit
    logits: dict[int, np.ndarray]  # fold -> the chosen candidate's logits on its test rows

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: what a model's metrics and file keep."""
        return {
            "chosen": self.chosen.as_dict(),
            "candidates": [
                {
                    **trial.candidate.as_dict(),
                    "macro_f1": round(trial.macro_f1, 4),
                    "seconds": round(trial.seconds, 2),
                    "chosen": trial.candidate == self.chosen,
                }
                for trial in self.trials
            ],
            "folds": self.folds,
            "seconds": round(self.seconds, 2),
            "budget_seconds": self.budget.seconds,
            "stopped": self.stopped,
        }


class _Searcher:
    """Runs one search; holds the counts, fold matrices and costs measured so far."""

    def __init__(
        self,
        forms: Sequence[Sequence[str]],
        gold: np.ndarray,
        label_set: tuple[str, ...],
        base: TrainingOptions,
        clock: Clock,
    ) -> None:
        self.forms = forms
        self.gold = gold
        self.label_set = label_set
        self.base = base
        self.clock = clock
        self.splits = folds(gold)[: 3 if len(gold) < SMALL_ROWS else 1]
        self.fold_ids = range(len(self.splits))
        self.corpora: dict[FeatureSpec, FeatureCounts] = {}
        self.fold_cache: dict[tuple[str, int], tuple[Any, Any]] = {}  # training, test rows
        self.count_seconds: list[float] = []
        self.prepare_seconds: dict[str, float] = {}  # per fold
        self.fit_seconds: dict[tuple[str, str], float] = {}  # per fold, by (features, solver)
        self.trials: list[Trial] = []
        self.logits: dict[Candidate, dict[int, np.ndarray]] = {}

    @property
    def best(self) -> Trial:
        return max(self.trials, key=lambda trial: trial.macro_f1)  # first of equals wins

    def plan(self) -> Iterator[Candidate]:
        """Candidates in the order tried; later stages read the results of earlier ones."""
        training_rows = len(self.splits[0][0])
        solver = "sgd" if training_rows >= SGD_MIN_ROWS else "lbfgs"
        richest, *others = FEATURE_SETS
        for strength in COARSE_C:
            yield Candidate(richest, solver, strength)
        for name in others:
            yield Candidate(name, solver, self.best.candidate.regularisation)
        best = self.best.candidate
        for factor in (1 / FINE_STEP, FINE_STEP):
            yield replace(best, regularisation=best.regularisation * factor)
        if solver == "sgd":
            yield replace(self.best.candidate, solver="lbfgs")

    def affordable(self, candidate: Candidate, deadline: float) -> bool:
        """Whether trying `candidate`, then the report and final fit of the best, fits."""
        if not self.trials:
            return True
        fit = self._fit_estimate(candidate)
        prepare = self.prepare_seconds.get(candidate.features, max(self.prepare_seconds.values()))
        counted = _counts_key(candidate.features) in self.corpora
        counting = 0.0 if counted else max(self.count_seconds)
        cached = all((candidate.features, fold) in self.fold_cache for fold in self.fold_ids)
        search = counting + len(self.splits) * (fit + (0.0 if cached else prepare))
        best = self.best.candidate
        best_fold = self._fit_estimate(best) + self.prepare_seconds[best.features]
        report = max(fit + prepare, best_fold) * (FOLDS - len(self.splits) + FINAL_FIT_COST)
        return self.clock() + search + report <= deadline

    def evaluate(self, candidate: Candidate) -> Trial:
        started = self.clock()
        scores = []
        logits = {}
        for fold, (train_rows, test_rows) in enumerate(self.splits):
            train_features, test_features = self._fold(candidate.features, fold)
            fitting = self.clock()
            options = candidate.options(self.base, len(train_rows))
            weights, intercept = fit_weights(
                train_features, self.gold[train_rows], len(self.label_set), options
            )
            logits[fold] = np.asarray(test_features @ weights) + intercept
            gold, predicted = self.gold[test_rows], logits[fold].argmax(axis=1)
            scores.append(evaluate_predictions(self.label_set, gold, predicted).macro_f1)
            self.fit_seconds[candidate.features, candidate.solver] = self.clock() - fitting
        trial = Trial(candidate, float(np.mean(scores)), self.clock() - started)
        self.trials.append(trial)
        self.logits[candidate] = logits
        return trial

    def corpus(self, name: str) -> FeatureCounts:
        """Counts of feature set `name`, computed once (sets differing in char_weight only
        share them)."""
        spec = FEATURE_SETS[name]
        if _counts_key(name) not in self.corpora:
            started = self.clock()
            self.corpora[_counts_key(name)] = FeatureCounts.of(spec, self.forms)
            self.count_seconds.append(self.clock() - started)
        return replace(self.corpora[_counts_key(name)], spec=spec)

    def _fold(self, name: str, fold: int) -> tuple[Any, Any]:
        key = (name, fold)
        if key not in self.fold_cache:
            corpus = self.corpus(name)
            started = self.clock()
            train_rows, test_rows = self.splits[fold]
            vectorizer, train_features = corpus.fit(train_rows, self.base.min_df)
            test_forms = [self.forms[row] for row in test_rows]
            valences = [corpus.valences[row] for row in test_rows] if corpus.valences else None
            test_features = vectorizer.transform(test_forms, valences)
            if len({key_name for key_name, _ in self.fold_cache} | {name}) > 2:
                self.fold_cache.clear()  # keep two feature sets' matrices: memory stays bounded
            self.fold_cache[key] = (train_features, test_features)
            self.prepare_seconds[name] = self.clock() - started
        return self.fold_cache[key]

    def _fit_estimate(self, candidate: Candidate) -> float:
        """Per-fold fit seconds: measured, else the same solver's slowest, else converted."""
        known = self.fit_seconds.get((candidate.features, candidate.solver))
        if known is not None:
            return known
        fits = self.fit_seconds.items()
        same = [seconds for (_, solver), seconds in fits if solver == candidate.solver]
        if same:
            return max(same)
        ratio = LBFGS_COST_RATIO if candidate.solver == "lbfgs" else 1 / LBFGS_COST_RATIO
        return max(self.fit_seconds.values()) * ratio


def _counts_key(name: str) -> FeatureSpec:
    """Feature sets with equal keys have the same counts (char_weight only scales IDF)."""
    return replace(FEATURE_SETS[name], char_weight=1.0)


def select(
    forms: Sequence[Sequence[str]],
    gold: np.ndarray,
    label_set: tuple[str, ...],
    options: TrainingOptions,
    *,
    deadline: float,
    clock: Clock,
    on_progress: Progress | None = None,
) -> Selection:
    """Search the settings for `options.search`; stop when `clock()` would pass `deadline`
    before the report and final fit are done, or after `options.search.candidates` trials."""
    budget = options.search or Search()
    searcher = _Searcher(forms, gold, label_set, options, clock)
    started = clock()
    say = on_progress or (lambda message: None)
    say(f"choosing settings: each candidate scored on {len(searcher.splits)} of {FOLDS} folds")
    stopped = None
    tried: set[Candidate] = set()
    for candidate in searcher.plan():
        if candidate in tried:
            continue
        if budget.candidates is not None and len(tried) >= budget.candidates:
            stopped = "candidate budget"
            break
        if not searcher.affordable(candidate, deadline):
            stopped = "time budget"
            break
        tried.add(candidate)
        trial = searcher.evaluate(candidate)
        say(
            f"  {len(tried):>2}. {candidate.describe()}: macro-F1 {trial.macro_f1:.4f} "
            f"({trial.seconds:.1f} s)"
        )
    if stopped:
        say(f"search stopped by its {stopped}")
    chosen = searcher.best.candidate
    say(f"chosen: {chosen.describe()}")
    return Selection(
        chosen=chosen,
        trials=tuple(searcher.trials),
        folds=len(searcher.splits),
        seconds=clock() - started,
        budget=budget,
        stopped=stopped,
        corpus=searcher.corpus(chosen.features),
        logits=searcher.logits[chosen],
    )
