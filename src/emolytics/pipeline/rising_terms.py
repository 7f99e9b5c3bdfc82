"""Words that rose: the words of a view's period that its texts use more often than the texts of
the period before it did, beyond chance (what a spike is about, what is new this week).

Both periods are samples of texts (`view_terms` reads them). A word is a token as the model
reads it (lower-cased, an elongation squeezed, a hashtag's words apart; an emoji or emoticon as
written), negation aside, that tells something (`terms.telling`; no negator) and is not topical
(`terms.topical`: a tracked keyword, a number, a mention, a link). A word rose when the share
of the period's texts it is in is at least `MIN_RATIO` times the share before, and an exact
one-sided test says so at 5 %: given the texts of both samples that have the word, how many
are the period's is binomial (by the samples' sizes). Holm's correction is applied over every
word with enough texts in either sample, whichever way it went, so that picking the risen ones
first does not shrink it. A word the period before never used is new.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import special

from emolytics.engine.text import NEGATION_PREFIX, is_negator, tokenize
from emolytics.pipeline.keywords import KeywordPattern
from emolytics.pipeline.periods import ALPHA, holm
from emolytics.pipeline.terms import MIN_SHARE, MIN_TEXTS, TERMS_SHOWN, telling, topical

MIN_RATIO = 1.5
NUMBER_ENDINGS = frozenset({"st", "nd", "rd", "th", "s"})  # of "1st", "3rd", "90s"


def words_in(texts: Sequence[str], keywords: KeywordPattern | None) -> Counter[str]:
    """How many of `texts` each word is in."""
    found: Counter[str] = Counter()
    for text in texts:
        tokens = tokenize(text)
        after = ["", *tokens.forms]  # the form before each: "3rd" is "<num>" then "rd"
        pairs = zip(tokens.forms, tokens.surfaces, after, strict=False)
        words = {_word(form, surface, before) for form, surface, before in pairs}
        found.update(word for word in words if word and not topical(word, keywords))
    return found


def _word(form: str, surface: str, before: str) -> str | None:
    """A token as the words that rose name it: its form, negation aside, or an emoji or
    emoticon as written; None for what tells nothing: a function word, a negator, a number
    ("3rd", "90s" too), a mention or a link."""
    if form.startswith("<") or (before == "<num>" and form in NUMBER_ENDINGS):
        return None
    form = form.removeprefix(NEGATION_PREFIX)
    if is_negator(form):
        return None
    pictured = len(form) > 2 and form.startswith(":") and form.endswith(":")  # ":enraged_face:"
    word = surface.rstrip("\ufe0f") if pictured else form
    return word if telling(word) else None


def rising(
    now: Counter[str],
    sampled_now: int,
    scale_now: int,
    before: Counter[str],
    sampled_before: int,
    scale_before: int,
) -> list[dict[str, Any]]:
    """The words that rose from `before` (in `sampled_before` texts, each standing for
    `scale_before`) to `now`, most risen first (a new word as if half a text had it before):
    each with its texts in both periods, scaled up, and how many times its share grew (None:
    new)."""
    least = max(MIN_TEXTS, MIN_SHARE * sampled_now)
    words = sorted(word for word in now.keys() | before.keys() if now[word] + before[word] >= least)
    hits = np.array([now[word] for word in words])
    either = hits + np.array([before[word] for word in words])
    # given the texts of either sample that have the word, how many are this one's is binomial
    chances = special.bdtrc(hits - 1, either, sampled_now / (sampled_now + sampled_before))
    risen = [
        word
        for word in holm(dict(zip(words, chances.tolist(), strict=True)), ALPHA)
        if now[word] >= MIN_TEXTS
        and now[word] * sampled_before >= MIN_RATIO * before[word] * sampled_now
    ]

    def growth(word: str) -> float:  # a new word's share against half a text before
        return (now[word] / sampled_now) / ((before[word] or 0.5) / sampled_before)

    shown = sorted(risen, key=lambda word: (-growth(word), -now[word], word))[:TERMS_SHOWN]
    return [
        {
            "term": word,
            "texts": now[word] * scale_now,
            "previous_texts": before[word] * scale_before,
            "ratio": round(growth(word), 2) if before[word] else None,
        }
        for word in shown
    ]
