"""Keywords a dataset tracks: cleaned as typed, and found in texts."""

import re
from collections.abc import Iterable, Sequence

MAX_KEYWORDS = 50
MAX_KEYWORD_CHARS = 80


def clean_keywords(keywords: Iterable[str]) -> list[str]:
    """Lower-cased, unique, trimmed keywords (a leading # is dropped); ValueError if too many."""
    cleaned: list[str] = []
    for keyword in keywords:
        word = " ".join(keyword.strip().lstrip("#").lower().split())
        if word and word not in cleaned:
            if len(word) > MAX_KEYWORD_CHARS:
                raise ValueError(f"Keywords are at most {MAX_KEYWORD_CHARS} characters.")
            cleaned.append(word)
    if len(cleaned) > MAX_KEYWORDS:
        raise ValueError(f"Track at most {MAX_KEYWORDS} keywords per dataset.")
    return cleaned


def parse_keywords(field: str) -> list[str]:
    """Keywords typed as one comma- or newline-separated field."""
    return clean_keywords(re.split(r"[,\n]", field or ""))


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case; `#battery` matches `battery`."""
    if not keywords:
        return None
    phrases = sorted(keywords, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)
    return re.compile(rf"(?<![\w#])#?({alternatives})(?!\w)", re.IGNORECASE)


def keywords_in(text: str, pattern: re.Pattern[str] | None) -> set[str]:
    if pattern is None:
        return set()
    return {" ".join(match.lower().split()) for match in pattern.findall(text)}
