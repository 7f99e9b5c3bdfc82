"""How the default model's build chooses its blend: every blend of the grid is scored on the
out-of-fold logits, with per-label offsets tuned to GoEmotions, and the simplest blend near the
best wins (see `build_default_model.py`, whose `Settings` these are)."""

import itertools
import sys
from dataclasses import dataclass, replace

import numpy as np
from default_corpus import Corpus
from scipy.special import log_softmax

from emolytics.engine.fitting import macro_f1
from emolytics.engine.label_bias import tune_offsets
from emolytics.engine.labels import EMOTIONS

XED_SHARE = 0.3  # XED's out-of-fold macro-F1 counts this much of GoEmotions' in the blend's choice
BLEND_TOLERANCE = 0.001  # the simplest blend within this of the best overall score is chosen
SCORE_TEMPERATURES = np.round(np.arange(1.0, 4.01, 0.1), 1)  # the grid `score_temperature` searches


@dataclass(frozen=True, slots=True)
class Settings:
    """How the model is fitted; the blend (`nb_*`, `svm_weight`, `nbsvm_weight`) is chosen by the
    build itself."""

    c: float = 2.0  # logistic regression's inverse regularisation
    char_weight: float = 0.6  # character n-grams' IDF scale (see FeatureSpec)
    xed_weight: float = 0.3  # weight of an XED row (a GoEmotions row weighs 1)
    nb_weight: float = 0.0  # complement naive Bayes log-weights added times this
    nb_alpha: float = 0.3
    svm_weight: float = 0.0  # linear SVM weights added times this
    nbsvm_weight: float = 1.0  # NBSVM weights added times this


CHOSEN = Settings()
NB_WEIGHTS = (0.0, 0.5, 1.0, 1.5)  # the build picks the blend on out-of-fold predictions
NB_ALPHAS = (0.1, 0.3, 1.0)
SVM_WEIGHTS = (0.0, 0.5, 1.0)
NBSVM_WEIGHTS = (0.0, 0.5, 1.0, 1.5)


def blend_candidates(settings: Settings) -> list[Settings]:
    """Every blend of the grid once (without a part, its own setting does not matter)."""
    grid = itertools.product(NB_WEIGHTS, NB_ALPHAS, SVM_WEIGHTS, NBSVM_WEIGHTS)
    return [
        replace(
            settings,
            nb_weight=nb_weight,
            nb_alpha=nb_alpha,
            svm_weight=svm_weight,
            nbsvm_weight=nbsvm_weight,
        )
        for nb_weight, nb_alpha, svm_weight, nbsvm_weight in grid
        if nb_weight > 0 or nb_alpha == NB_ALPHAS[0]
    ]


def simplicity(settings: Settings) -> tuple[int, float]:
    """Fewer parts first, then smaller extra weights."""
    weights = (settings.nb_weight, settings.svm_weight, settings.nbsvm_weight)
    return sum(weight > 0 for weight in weights), sum(weights)


class Objective:
    """Macro-F1 on each domain's single-label rows, XED's counting `XED_SHARE` of GoEmotions';
    the methods take one logits array per fold split and score the mean over them."""

    def __init__(self, corpus: Corpus) -> None:
        single = np.array([len(emotions) == 1 for emotions in corpus.emotions])
        gold = np.array([EMOTIONS.index(min(emotions)) for emotions in corpus.emotions])
        self.domains = [np.flatnonzero(single & (corpus.domain == index)) for index in (0, 1)]
        self.gold = [gold[rows] for rows in self.domains]

    def per_domain(
        self, splits: list[np.ndarray], offsets: np.ndarray | None = None
    ) -> list[float]:
        return [self._mean(splits, domain, offsets) for domain in (0, 1)]

    @staticmethod
    def overall(scores: list[float]) -> float:
        goemotions, xed = scores
        return (goemotions + XED_SHARE * xed) / (1 + XED_SHARE)

    def tune_offsets(self, splits: list[np.ndarray]) -> np.ndarray:
        """Per-label offsets maximising GoEmotions' score alone (`label_bias.tune_offsets`):
        XED's label proportions differ, and offsets tuned to them cost GoEmotions."""
        home = [logits[self.domains[0]] for logits in splits]
        return tune_offsets(home, self.gold[0])

    def score_temperature(self, splits: list[np.ndarray], offsets: np.ndarray) -> float:
        """The temperature on `SCORE_TEMPERATURES` whose scores, softmax((logits + offsets) / T),
        have the least mean log-loss on the single-label rows, XED's counting `XED_SHARE` of
        GoEmotions' as in the blend's choice: the fitted layer is surer than it is right, and no
        label changes with T."""
        losses = [
            [self._log_loss(splits, domain, offsets, temperature) for domain in (0, 1)]
            for temperature in SCORE_TEMPERATURES
        ]
        best = min(range(len(losses)), key=lambda index: self.overall(losses[index]))
        return float(SCORE_TEMPERATURES[best])

    def _log_loss(
        self, splits: list[np.ndarray], domain: int, offsets: np.ndarray, temperature: float
    ) -> float:
        rows, gold = self.domains[domain], self.gold[domain]
        losses = [
            -log_softmax((logits[rows] + offsets) / temperature, axis=1)[np.arange(len(rows)), gold]
            for logits in splits
        ]
        return float(np.mean(losses))

    def _mean(self, splits: list[np.ndarray], domain: int, offsets: np.ndarray | None) -> float:
        shift = np.zeros(len(EMOTIONS)) if offsets is None else offsets
        rows, gold = self.domains[domain], self.gold[domain]
        scores = [macro_f1(gold, (part[rows] + shift).argmax(1), len(EMOTIONS)) for part in splits]
        return float(np.mean(scores))


def blended(regression: np.ndarray, parts: dict[str, np.ndarray], settings: Settings) -> np.ndarray:
    nb_part = settings.nb_weight * parts[f"nb {settings.nb_alpha}"]
    nbsvm_part = settings.nbsvm_weight * parts["nbsvm"]
    return regression + nb_part + settings.svm_weight * parts["svm"] + nbsvm_part


OutOfFold = list[tuple[np.ndarray, dict[str, np.ndarray]]]  # per fold split: LR, blended parts


def choose_blend(
    objective: Objective, out_of_fold: OutOfFold, settings: Settings
) -> tuple[Settings, np.ndarray, list[float]]:
    """The simplest blend (`simplicity`) whose overall out-of-fold score, with its offsets, is
    within `BLEND_TOLERANCE` of the best blend's; ties go to the higher score."""
    results = []
    for candidate in blend_candidates(settings):
        splits = [blended(regression, parts, candidate) for regression, parts in out_of_fold]
        offsets = objective.tune_offsets(splits)
        scores = objective.per_domain(splits, offsets)
        overall = objective.overall(scores)
        results.append((candidate, offsets, scores, overall))
        blend = (
            f"NB weight {candidate.nb_weight}, alpha {candidate.nb_alpha}, SVM weight "
            f"{candidate.svm_weight}, NBSVM weight {candidate.nbsvm_weight}"
        )
        print(f"  {blend}: {scores}, overall {overall:.4f}", file=sys.stderr)
    best = max(overall for *_, overall in results)
    near = [result for result in results if result[3] >= best - BLEND_TOLERANCE]
    candidate, offsets, scores, _ = min(near, key=lambda r: (simplicity(r[0]), -r[3]))
    return candidate, offsets, scores
