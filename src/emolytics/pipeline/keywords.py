"""Keywords a dataset tracks: cleaned as typed, and found in texts.

A keyword is a topic: a word or phrase (`tram`, `late delivery`), found as whole words in any
case or as a #hashtag; a word ending in `*` finds every word it starts (`deliver*`: delivery,
delivered); and alternatives joined by `OR` are one keyword, its texts those that mention any of
them (`refund OR money back OR reimburs*`). The keyword is named as cleaned: lower case, each
alternative once, joined by " OR " (the alternatives being lower case, no phrase holds it).
"""

import re
from collections.abc import Iterable, Sequence

MAX_KEYWORDS = 50
MAX_KEYWORD_CHARS = 80
OR = " OR "
WILDCARD = "*"
WRITTEN = (
    "A keyword is a word or phrase, found as whole words in any case or as a #hashtag; "
    "deliver* finds every word it starts (delivery, delivered); refund OR money back tracks "
    "either as one keyword."
)
_ALTERNATIVES = re.compile(r"(?:^|\s+)OR(?:\s+|$)")


class KeywordPattern:
    """What finds a dataset's keywords in a text (`keywords_in`)."""

    __slots__ = ("regex", "named", "stems")

    def __init__(self, keywords: Sequence[str]) -> None:
        found = [
            (alternative, keyword) for keyword in keywords for alternative in alternatives(keyword)
        ]
        found.sort(key=lambda pair: len(pair[0]), reverse=True)  # the longest phrase first
        self.regex = re.compile(
            rf"(?<![\w#])#?({'|'.join(_regex(alternative) for alternative, _ in found)})(?!\w)",
            re.IGNORECASE,
        )
        # a match, case-folded, is the alternative of its keyword; a wildcard's starts with its
        # stem (the longest stems first)
        self.named = {word.casefold(): keyword for word, keyword in found if not _wild(word)}
        self.stems = [(word[:-1].casefold(), keyword) for word, keyword in found if _wild(word)]

    def keyword(self, match: str) -> str:
        """The keyword a match of the regex belongs to (the match itself, lower-cased, in the
        odd case that no keyword's letters are its letters case-folded)."""
        written = " ".join(match.casefold().split())
        keyword = self.named.get(written)
        if keyword is None:
            found = (keyword for stem, keyword in self.stems if written.startswith(stem))
            keyword = next(found, " ".join(match.lower().split()))
        return keyword


def alternatives(keyword: str) -> list[str]:
    """The words or phrases a keyword finds any of (`refund OR money back`: two)."""
    return keyword.split(OR)


def clean_keyword(typed: str) -> str:
    """A keyword as tracked: each alternative trimmed, lower-cased and once (a leading # is
    dropped); "" when nothing is left. ValueError for a `*` anywhere but at the end of a
    keyword's word, after at least two characters."""
    kept: list[str] = []
    for part in _ALTERNATIVES.split(typed.strip()):
        word = " ".join(part.strip().lstrip("#").lower().split())
        stem = word.rstrip(WILDCARD)
        if WILDCARD in stem or (stem != word and len(stem.rsplit(" ", 1)[-1]) < 2):
            raise ValueError(
                f"“{part.strip()}”: a * may only end a word, after two letters or more "
                "(deliver* finds delivery and delivered)."
            )
        word = stem + WILDCARD if stem != word else word
        if word and word not in kept:
            kept.append(word)
    return OR.join(kept)


def clean_keywords(keywords: Iterable[str]) -> list[str]:
    """Keywords as tracked (`clean_keyword`), unique; ValueError if too many or too long."""
    cleaned: list[str] = []
    for typed in keywords:
        keyword = clean_keyword(typed)
        if keyword and keyword not in cleaned:
            if len(keyword) > MAX_KEYWORD_CHARS:
                raise ValueError(f"Keywords are at most {MAX_KEYWORD_CHARS} characters.")
            cleaned.append(keyword)
    if len(cleaned) > MAX_KEYWORDS:
        raise ValueError(f"Track at most {MAX_KEYWORDS} keywords per dataset.")
    return cleaned


def parse_keywords(field: str) -> list[str]:
    """Keywords typed as one comma- or newline-separated field."""
    return clean_keywords(re.split(r"[,\n]", field or ""))


def keyword_pattern(keywords: Sequence[str]) -> KeywordPattern | None:
    """What finds `keywords` in texts (None: no keyword)."""
    return KeywordPattern(keywords) if keywords else None


def with_plurals(keywords: Sequence[str]) -> list[str]:
    """`keywords` and, as keywords of their own, their words' plurals ("trams" for "tram"; a
    wildcard's words have theirs already)."""
    plurals = [
        f"{word}{ending}"
        for keyword in keywords
        for word in alternatives(keyword)
        if not _wild(word)
        for ending in ("s", "es")
    ]
    return [*keywords, *plurals]


def keywords_in(text: str, pattern: KeywordPattern | None) -> set[str]:
    """The keywords `text` mentions."""
    if pattern is None:
        return set()
    return {pattern.keyword(match) for match in pattern.regex.findall(text)}


def _wild(alternative: str) -> bool:
    return alternative.endswith(WILDCARD)


def _regex(alternative: str) -> str:
    """An alternative as a regex: its words apart by any space, a wildcard's last word going on
    with any letters."""
    stem = alternative[:-1] if _wild(alternative) else alternative
    words = r"\s+".join(map(re.escape, stem.split()))
    return words + r"\w*" if _wild(alternative) else words
