"""Which phrases of a text made its label, and how much each weighed.

A linear model's evidence for a label is a sum over the text's features: value times weight.
An explanation hands every feature of the text to one phrase, so the phrases' weights add up to
exactly that sum (the text's feature row times the label's weight column; the weights are
centred, so the sum is the label's logit less its intercept, against the mean of all labels'):

- a token's own features (itself, its character n-grams, an emoji's name words) and its part of
  the lexicon columns (in proportion to its valence) are its phrase's; a feature that several
  tokens yield (one character n-gram in two words) is split evenly between them;
- a negated token (`not_happy`) reads as its negator and itself ("not happy", "never … like"
  reads "never like"), and the pair of the negator and the first negated word is that phrase's;
- any other word pair reads as the pair ("can't wait") when it weighed more than each of its two
  words alone, and is otherwise shared between them in proportion to their own weights;
- phrases that read the same (a word said twice, "😡😡") add up.
"""

from collections.abc import Sequence

import numpy as np

from emolytics.engine.features import Vectorizer, lexicon_values
from emolytics.engine.text import NEGATION_PREFIX, Tokens, is_negator

FeatureRow = tuple[np.ndarray, np.ndarray]  # a text's feature columns (sorted), their values


def phrase_weights(
    vectorizer: Vectorizer,
    tokens: Tokens,
    valences: Sequence[float],
    row: FeatureRow,
    column: np.ndarray,
) -> dict[str, float]:
    """Each phrase of the text and its weight for the label of `column`, in reading order.

    `row` is the text's feature row; the weights add up to the row times `column` (see the
    module docstring).
    """
    forms = tokens.forms
    pair_indices = _pair_indices(vectorizer, forms)
    own, pair_weights = _feature_weights(vectorizer, forms, pair_indices, row, column)
    if vectorizer.spec.lexicon:
        _add_lexicon_shares(own, valences, column[len(vectorizer.terms) :])
    negators = _negators(forms)
    names = [_name(tokens.surfaces, negators[position], position) for position in range(len(forms))]
    weights: dict[str, float] = {}

    def add(name: str, amount: float) -> None:
        weights[name] = weights.get(name, 0.0) + amount

    for position, amount in enumerate(own):
        add(names[position], amount)
    for (first, _), amount in zip(pair_indices, pair_weights, strict=True):
        second = first + 1
        if negators[second] == first:
            add(names[second], amount)
        elif abs(amount) > max(abs(own[first]), abs(own[second])):
            add(_pair_name(tokens.surfaces, names[first], second), amount)
        else:
            size = abs(own[first]) + abs(own[second])
            part = abs(own[first]) / size if size else 0.5
            add(names[first], amount * part)
            add(names[second], amount * (1.0 - part))
    return weights


def strongest(weights: dict[str, float], limit: int) -> tuple[tuple[str, float], ...]:
    """The `limit` phrases of largest weight either way, strongest first (zeros left out)."""
    ranked = sorted(weights.items(), key=lambda item: abs(item[1]), reverse=True)
    return tuple((name, round(weight, 4)) for name, weight in ranked[:limit] if round(weight, 4))


def shares(weights: Sequence[float]) -> list[int]:
    """Each weight's share of the weights' total size, in whole percents adding up to 100.

    Rounded by largest remainders, so that a list read as shares of one decision adds up; all
    zeros when every weight is zero.
    """
    total = sum(abs(weight) for weight in weights)
    if not total:
        return [0] * len(weights)
    exact = [abs(weight) * 100 / total for weight in weights]
    percents = [int(share) for share in exact]
    by_remainder = sorted(
        range(len(exact)), key=lambda position: exact[position] - percents[position], reverse=True
    )
    for position in by_remainder[: 100 - sum(percents)]:
        percents[position] += 1
    return percents


def _feature_weights(
    vectorizer: Vectorizer,
    forms: Sequence[str],
    pair_indices: list[tuple[int, int]],
    row: FeatureRow,
    column: np.ndarray,
) -> tuple[list[float], list[float]]:
    """Each token's own features' weight, and each known pair's: value times weight, a feature
    that occurs several times in the text split evenly between its occurrences."""
    own_indices = [vectorizer.form_indices(form) for form in forms]
    sizes = [len(indices) for indices in own_indices]
    occurrences = np.array(
        [index for indices in own_indices for index in indices]
        + [index for _, index in pair_indices],
        dtype=np.int64,
    )
    features, where, counts = np.unique(occurrences, return_inverse=True, return_counts=True)
    columns, row_values = row
    values = row_values[np.searchsorted(columns, features)].astype(np.float64)
    each = (values * column[features] / counts)[where]
    own_count = sum(sizes)
    owners = np.repeat(np.arange(len(forms)), sizes)
    own = np.bincount(owners, weights=each[:own_count], minlength=len(forms))
    return own.tolist(), each[own_count:].tolist()


def _pair_indices(vectorizer: Vectorizer, forms: Sequence[str]) -> list[tuple[int, int]]:
    """(position of the pair's first token, vocabulary index) of the pairs the model knows."""
    vocabulary = vectorizer.vocabulary
    return [
        (position, vocabulary[pair])
        for position, pair in enumerate(vectorizer.spec.pair_features(forms))
        if pair in vocabulary
    ]


def _add_lexicon_shares(own: list[float], valences: Sequence[float], column: np.ndarray) -> None:
    """Give each lexicon column's weight to the tokens of its sign, by their valences."""
    for offset, value in enumerate(lexicon_values(valences)):
        if not value:
            continue
        positive = offset == 0
        signed = [v if v and (v > 0) == positive else 0.0 for v in valences]
        total = sum(signed)
        amount = value * float(column[offset])
        for position, token_valence in enumerate(signed):
            if token_valence:
                own[position] += amount * token_valence / total


def _negators(forms: Sequence[str]) -> list[int]:
    """For each token, the position of the negator whose scope it is in (itself if none)."""
    negators = list(range(len(forms)))
    negator = None
    for position, form in enumerate(forms):
        if form.startswith(NEGATION_PREFIX):
            if negator is not None:
                negators[position] = negator
        elif is_negator(form):
            negator = position
    return negators


def _pair_name(surfaces: Sequence[str], first_name: str, second: int) -> str:
    """A pair read as a phrase; the words of one hashtag (`#SoHappy`) read as the hashtag."""
    surface = surfaces[second]
    if surface.startswith("#") and surface == surfaces[second - 1]:
        return first_name
    return f"{first_name} {surface}"


def _name(surfaces: Sequence[str], negator: int, position: int) -> str:
    """How a reader sees a token: its surface, after its negator's if it is negated."""
    if negator == position:
        return surfaces[position]
    return f"{surfaces[negator]} {surfaces[position]}"
