"""The linear emotion model: TF-IDF features, one weight column per label, softmax scores."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from emolytics.engine.features import Vectorizer
from emolytics.engine.lexicon import compound, token_valences
from emolytics.engine.text import NEGATION_PREFIX, Token, tokenize

EXPLANATION_SIZE = 10  # tokens listed per explained result


@dataclass(frozen=True, slots=True)
class EmotionResult:
    """What the engine says about one text."""

    label: str
    scores: dict[str, float]  # one entry per label, each in [0, 1], summing to 1
    valence: float  # -1.0 (negative) to 1.0 (positive)
    contributions: tuple[tuple[str, float], ...] = ()  # (token, weight), strongest first


def _exclamations(forms: Sequence[str]) -> int:
    return sum(len(form) for form in forms if form in ("!", "!!"))


def valence(forms: Sequence[str]) -> float:
    """Valence of a text given as token forms, in [-1, 1] (0.0 when nothing is polar)."""
    return compound(token_valences(list(forms), NEGATION_PREFIX), _exclamations(forms))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a 2-D array."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


class LinearModel:
    """Scores texts with `softmax(tfidf(text) @ weights + intercept)`.

    Immutable after construction (the vectorizer's look-up cache aside, whose worst race is a
    lost entry), so one instance can serve concurrent threads.
    """

    def __init__(
        self,
        labels: Sequence[str],
        vectorizer: Vectorizer,
        weights: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        if weights.shape != (vectorizer.size, len(labels)) or intercept.shape != (len(labels),):
            raise ValueError("weights must be (terms, labels) and intercept (labels,)")
        self.labels: tuple[str, ...] = tuple(labels)
        self.vectorizer = vectorizer
        # Softmax ignores a per-feature shift shared by all labels; centring the weights makes
        # each weight read as "for this label rather than the others", which explanations use.
        centred = weights - weights.mean(axis=1, keepdims=True)
        self.weights = np.ascontiguousarray(centred, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)

    def analyze(self, texts: Sequence[str], *, explain: bool = False) -> list[EmotionResult]:
        """Return one result per text, in order. `explain` adds per-token contributions."""
        tokens = [tokenize(text) for text in texts]
        forms = [[form for form, _ in text_tokens] for text_tokens in tokens]
        probabilities = self.probabilities(forms)
        winners = probabilities.argmax(axis=1)
        results = []
        for position, text_forms in enumerate(forms):
            scores = dict(zip(self.labels, probabilities[position].tolist(), strict=True))
            contributions = (
                self.contributions(tokens[position], int(winners[position])) if explain else ()
            )
            results.append(
                EmotionResult(
                    label=self.labels[winners[position]],
                    scores=scores,
                    valence=valence(text_forms),
                    contributions=contributions,
                )
            )
        return results

    def probabilities(self, forms: Sequence[Sequence[str]]) -> np.ndarray:
        """Label probabilities, shape (texts, labels), float64 rows summing to 1."""
        features = self.vectorizer.transform(forms)
        logits = np.asarray(features @ self.weights, dtype=np.float64)
        logits += self.intercept
        return softmax(logits)

    def contributions(self, tokens: Sequence[Token], label: int) -> tuple[tuple[str, float], ...]:
        """Per surface token, its features' share of the `label` logit, strongest first.

        A feature's contribution is its TF-IDF value times its weight for the label; a feature
        produced by several tokens (a character n-gram in two words, a word pair) is split evenly
        between them.
        """
        forms = [form for form, _ in tokens]
        occurrences = self._feature_occurrences(forms)
        row = self.vectorizer.transform([forms])
        value_of = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        counts: dict[int, int] = {}
        for token_features in occurrences:
            for index in token_features:
                counts[index] = counts.get(index, 0) + 1
        totals: dict[str, float] = {}
        column = self.weights[:, label]
        for (_, surface), token_features in zip(tokens, occurrences, strict=True):
            share = sum(
                value_of[index] * float(column[index]) / counts[index] for index in token_features
            )
            totals[surface] = totals.get(surface, 0.0) + share
        ranked = sorted(totals.items(), key=lambda item: abs(item[1]), reverse=True)
        return tuple((surface, round(weight, 4)) for surface, weight in ranked[:EXPLANATION_SIZE])

    def _feature_occurrences(self, forms: Sequence[str]) -> list[list[int]]:
        """For each token, the vocabulary indices it takes part in (its own and its pairs')."""
        occurrences = [list(self.vectorizer.form_indices(form)) for form in forms]
        vocabulary = self.vectorizer.vocabulary
        pairs = self.vectorizer.spec.pair_features(forms)
        for position, pair in enumerate(pairs):
            index = vocabulary.get(pair)
            if index is not None:
                occurrences[position].append(index)
                occurrences[position + 1].append(index)
        return occurrences
