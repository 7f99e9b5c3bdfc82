"""The linear emotion model: TF-IDF and lexicon features, one weight column per label, softmax."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from emolytics.engine.explanations import FeatureRow, phrase_weights, strongest
from emolytics.engine.features import Vectorizer, text_valences
from emolytics.engine.lexicon import compound
from emolytics.engine.text import Tokens, tokenize

EXPLANATION_SIZE = 10  # tokens listed per explained result
MIN_SCORE_TEMPERATURE, MAX_SCORE_TEMPERATURE = 0.1, 10.0


@dataclass(frozen=True, slots=True)
class EmotionResult:
    """What the engine says about one text."""

    label: str
    scores: dict[str, float]  # one entry per label, each in [0, 1], summing to 1
    valence: float  # -1.0 (negative) to 1.0 (positive)
    # (phrase, weight for the label), strongest either way first: see `explanations`
    contributions: tuple[tuple[str, float], ...] = ()
    # explained only: the label the text's phrases alone favour, when the model's lean before
    # any phrase (its intercepts) made `label` win instead; the phrases' weights cannot show it
    terms_favour: str | None = None


def valence(forms: Sequence[str], valences: Sequence[float]) -> float:
    """A text's valence in [-1, 1] from its token forms and their valences (0.0 if none)."""
    exclamations = forms.count("!") + 2 * forms.count("!!")
    return compound(valences, exclamations)


def centred(weights: np.ndarray) -> np.ndarray:
    """`weights` minus each feature's mean over labels: the same probabilities, but each weight
    now reads as "for this label rather than the others", which explanations rely on."""
    return weights - weights.mean(axis=1, keepdims=True)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a 2-D array."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


def feature_row(features: Any, row: int) -> FeatureRow:
    """One row of a CSR matrix as its (sorted) columns and their values: views, no copy."""
    start, end = features.indptr[row], features.indptr[row + 1]
    return features.indices[start:end], features.data[start:end]


class LinearModel:
    """Scores texts with `softmax((features(text) @ weights + intercept) / score_temperature)`.

    The score temperature (temperature scaling: Guo et al., 2017) makes the scores as sure as
    the model is right, where a fitted layer is often surer: above 1 it flattens every text's
    scores alike. No label, logit or explanation depends on it; adapting reads the logits.

    Immutable after construction (the vectorizer's look-up cache aside, whose worst race is a
    lost entry), so one instance can serve concurrent threads.
    """

    def __init__(
        self,
        labels: Sequence[str],
        vectorizer: Vectorizer,
        weights: np.ndarray,
        intercept: np.ndarray,
        score_temperature: float = 1.0,
    ) -> None:
        if weights.shape != (vectorizer.size, len(labels)) or intercept.shape != (len(labels),):
            raise ValueError("weights must be (features, labels) and intercept (labels,)")
        if not MIN_SCORE_TEMPERATURE <= score_temperature <= MAX_SCORE_TEMPERATURE:
            raise ValueError(
                f"the score temperature must be from {MIN_SCORE_TEMPERATURE:g} "
                f"to {MAX_SCORE_TEMPERATURE:g}"
            )
        self.score_temperature = float(score_temperature)
        self.labels: tuple[str, ...] = tuple(labels)
        self.vectorizer = vectorizer
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)

    def analyze(self, texts: Sequence[str], *, explain: bool = False) -> list[EmotionResult]:
        """Return one result per text, in order. `explain` adds per-token contributions."""
        tokens = [tokenize(text) for text in texts]
        forms = [text_tokens.forms for text_tokens in tokens]
        valences = [text_valences(text_forms) for text_forms in forms]
        features = self.vectorizer.transform(forms, valences)
        logits = self.logits(features)
        winners = logits.argmax(axis=1).tolist()
        # without the leans, what the phrases alone say (explained texts only)
        favoured = (logits - self._leans(features)).argmax(axis=1).tolist() if explain else winners
        labels = self.labels
        results = []
        for position, row in enumerate(self._scores(logits).tolist()):
            winner = winners[position]
            contributions = (
                self._contributions(
                    tokens[position], valences[position], winner, feature_row(features, position)
                )
                if explain
                else ()
            )
            results.append(
                EmotionResult(
                    label=labels[winner],
                    scores=dict(zip(labels, row, strict=True)),
                    valence=valence(forms[position], valences[position]),
                    contributions=contributions,
                    terms_favour=None
                    if favoured[position] == winner
                    else labels[favoured[position]],
                )
            )
        return results

    def knows(self, word: str) -> bool:
        """Whether `word` (lower case) is one of the words the model learnt weights for."""
        return word in self.vectorizer.vocabulary

    def probabilities(
        self,
        forms: Sequence[Sequence[str]],
        valences: Sequence[Sequence[float]] | None = None,
    ) -> np.ndarray:
        """Label probabilities, shape (texts, labels), float64 rows summing to 1."""
        return self._probabilities_of(self.vectorizer.transform(forms, valences))

    def logits(self, features: Any) -> np.ndarray:
        """Each label's logit for each row of `features` (of `vectorizer`), float64."""
        logits = np.asarray(features @ self.weights, dtype=np.float64)
        logits += self.intercept
        return logits

    def _leans(self, features: Any) -> np.ndarray:
        """Each label's part of the logits that no feature makes, for the rows of `features`
        (one row for all of them, or one per row): here the intercept."""
        return self.intercept

    def _probabilities_of(self, features: Any) -> np.ndarray:
        return self._scores(self.logits(features))

    def _scores(self, logits: np.ndarray) -> np.ndarray:
        """The scores of `logits` (changed in place)."""
        if self.score_temperature != 1.0:
            logits /= self.score_temperature
        return softmax(logits)

    def contributions(
        self, tokens: Tokens, valences: Sequence[float], label: int
    ) -> tuple[tuple[str, float], ...]:
        """The phrases that weighed most for or against `label`, strongest first (at most
        `EXPLANATION_SIZE`); see `explanations` for how the features are shared out."""
        row = self.vectorizer.transform([tokens.forms], [valences])
        return self._contributions(tokens, valences, label, feature_row(row, 0))

    def _contributions(
        self,
        tokens: Tokens,
        valences: Sequence[float],
        label: int,
        row: FeatureRow,
    ) -> tuple[tuple[str, float], ...]:
        """`contributions` with the text's feature values already at hand (a batch's row)."""
        column = self._label_weights(row, label)
        weights = phrase_weights(self.vectorizer, tokens, valences, row, column)
        return strongest(weights, EXPLANATION_SIZE)

    def _label_weights(self, row: FeatureRow, label: int) -> np.ndarray:
        """The weights of `label` the text of `row` was scored with (here the same for all)."""
        return self.weights[:, label]
