"""Words that rose: the words of a view's period that its texts use more often than the texts of
the period before it did, beyond chance (what a spike is about, what is new this week).

Both periods are samples of texts (`view_terms` reads them). A word is a token as the model
reads it (lower-cased, an elongation squeezed, a hashtag's words apart), negation aside, that
tells something (`terms.telling`; no negator) and is not topical (`terms.topical`: a tracked
keyword, a number, a mention, a link). A word rose when the share of the period's texts it is
in is at least `MIN_RATIO` times the share before and a two-proportion z-test says so at 5 %,
Holm's correction applied over every word tested; a word the period before never used is new.
"""

from collections import Counter
from collections.abc import Sequence
from re import Pattern
from typing import Any

from emolytics.engine.text import NEGATION_PREFIX, is_negator, tokenize
from emolytics.pipeline.periods import ALPHA, holm, two_proportions
from emolytics.pipeline.terms import MIN_SHARE, MIN_TEXTS, TERMS_SHOWN, telling, topical

MIN_RATIO = 1.5


def words_in(texts: Sequence[str], keywords: Pattern[str] | None) -> Counter[str]:
    """How many of `texts` each word is in."""
    found: Counter[str] = Counter()
    for text in texts:
        forms = {form.removeprefix(NEGATION_PREFIX) for form in tokenize(text).forms}
        found.update(form for form in forms if _word(form, keywords))
    return found


def _word(form: str, keywords: Pattern[str] | None) -> bool:
    if form.startswith("<") or is_negator(form):  # "<url>", "<user>", "<num>"; "not"
        return False
    return telling(form) and not topical(form, keywords)


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
    tested = {
        word: two_proportions(hits, sampled_now, before[word], sampled_before)
        for word, hits in now.items()
        if hits >= max(MIN_TEXTS, MIN_SHARE * sampled_now)
        and hits * sampled_before >= MIN_RATIO * before[word] * sampled_now
    }
    risen = holm(tested, ALPHA)

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
