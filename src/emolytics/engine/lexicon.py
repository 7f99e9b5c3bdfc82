"""Valence from the VADER lexicon (MIT licence, shipped inside the vaderSentiment wheel).

The scoring follows VADER's main rules (negation, intensifiers, "but", exclamation marks and the
`x / sqrt(x^2 + 15)` normalisation) over this package's tokens, so one pass serves both the
emotion model and the valence, at a fraction of VADER's own cost per text.
"""

import math
from collections.abc import Sequence
from functools import partial
from importlib import resources

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR

from emolytics.engine.memo import Memo

_NORMALISATION_ALPHA = 15.0
_EXCLAMATION_BOOST = 0.292  # VADER's boost per "!" (it counts at most four)
_BUT_BEFORE, _BUT_AFTER = 0.5, 1.5

# Emoji whose name words mislead a word lexicon ("broken" + "heart" reads as positive).
_EMOJI_VALENCE_OVERRIDES: dict[str, float] = {
    ":broken_heart:": -2.5,
    ":enraged_face:": -2.5,
    ":pouting_face:": -2.5,
    ":face_with_symbols_on_mouth:": -2.5,
    ":nauseated_face:": -2.0,
    ":face_vomiting:": -2.0,
    ":loudly_crying_face:": -2.2,
    ":face_with_tears_of_joy:": 2.2,
    ":rolling_on_the_floor_laughing:": 2.2,
    ":thumbs_up:": 1.8,
    ":thumbs_down:": -1.8,
    ":fire:": 1.0,
    ":clapping_hands:": 1.8,
    ":party_popper:": 2.0,
}


def _read_vader_lexicon() -> dict[str, float]:
    source = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    valences: dict[str, float] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0]:
            valences[fields[0]] = float(fields[1])
    return valences


VALENCE_LEXICON: dict[str, float] = _read_vader_lexicon()
BOOSTERS: dict[str, float] = {
    word: boost for word, boost in BOOSTER_DICT.items() if " " not in word
}


def emoji_valence(form: str) -> float:
    """Valence of an emoji token `:name:`: an override, else the sum over its name's words."""
    if form in _EMOJI_VALENCE_OVERRIDES:
        return _EMOJI_VALENCE_OVERRIDES[form]
    words = form.strip(":").replace("-", "_").split("_")
    return sum(VALENCE_LEXICON.get(word, 0.0) for word in words)


def _form_valence(form: str, negation_prefix: str) -> float:
    """A token's own valence: emoji by name, words from the lexicon, negated words flipped."""
    if form.startswith(":") and len(form) > 2:
        return emoji_valence(form)
    if form.startswith(negation_prefix):
        return VALENCE_LEXICON.get(form[len(negation_prefix) :], 0.0) * N_SCALAR
    return VALENCE_LEXICON.get(form, 0.0)


_FORM_VALENCE_CACHE_LIMIT = 200_000
_form_valences: dict[str, Memo[str, float]] = {}  # each form's own valence, by negation prefix


def token_valences(forms: Sequence[str], negation_prefix: str) -> list[float]:
    """Return the VADER-style valence (about -4..4) of each token form, 0.0 for neutral tokens.

    Negated words are damped and flipped (`N_SCALAR`); an intensifier just before a word pushes
    it away from zero; words before "but" count half, words after it one and a half.
    """
    own = _form_valences.get(negation_prefix)
    if own is None:
        own = _form_valences[negation_prefix] = Memo(
            partial(_form_valence, negation_prefix=negation_prefix), _FORM_VALENCE_CACHE_LIMIT
        )
    valences = list(map(own.__getitem__, forms))
    if not any(valences):
        return valences
    for position in range(1, len(forms)):
        valence = valences[position]
        if valence:
            boost = BOOSTERS.get(forms[position - 1].removeprefix(negation_prefix))
            if boost:
                valences[position] = valence + math.copysign(boost, valence)
    if "but" in forms:
        but_at = len(forms) - 1 - forms[::-1].index("but")
        valences = [
            valence * (_BUT_BEFORE if position < but_at else _BUT_AFTER)
            for position, valence in enumerate(valences)
        ]
    return valences


def compound(valences: Sequence[float], exclamations: int) -> float:
    """Collapse token valences into one score in [-1, 1] (VADER's compound normalisation)."""
    total = sum(valences)
    if total:
        total += math.copysign(min(exclamations, 4) * _EXCLAMATION_BOOST, total)
    return total / math.sqrt(total * total + _NORMALISATION_ALPHA)
