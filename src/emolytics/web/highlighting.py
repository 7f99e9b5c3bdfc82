"""The terms that made a text's label: its reasons, and the text with the terms that pushed
towards the label marked (texts table, text page, quick analysis)."""

import re

from markupsafe import Markup, escape

from emolytics.pipeline import search_syntax, terms
from emolytics.pipeline.terms import Reason
from emolytics.pipeline.text_pages import TextPage
from emolytics.tables import Dataset

_WORD_CHARACTER = re.compile(r"\w")
# Between the words of a phrase: what separates them, and the words a negation's phrase skips
# ("not happy" in "not very happy").
_SKIPPED = r"(?:\W+[\w'’]+){0,2}?"


def highlight_page(dataset: Dataset, page: TextPage, searched: str | None = None) -> None:
    """Give each text of the page its reasons and its marked text (the page's texts only). The
    reasons are the model's: a corrected text's marks are those of the model's label. What
    `searched` finds (the texts table's search) is in bold."""
    terms.add_reasons(dataset, page.rows)
    for row in page.rows:
        label = row["model_label"] or row["label"]
        row["highlighted"] = highlight(row["text"], row.get("reasons", []), label, searched)


def highlight(text: str, reasons: list[Reason], label: str, searched: str | None = None) -> Markup:
    """`text`, escaped, with each term that pushed towards `label` wrapped in <mark>, and each
    place that holds what the search `searched` finds (whatever its case) in <b class="found">."""
    phrases = sorted(
        {reason.term for reason in reasons if reason.direction == "towards"}, key=len, reverse=True
    )
    marked = _spans("|".join(_pattern(phrase) for phrase in phrases), text) if phrases else []
    found = _spans(_found(searched), text, re.IGNORECASE) if searched else []
    if not marked and not found:
        return escape(text)
    pieces: list[str] = []
    position = 0
    for start, end in [*marked, (len(text), len(text))]:
        pieces.append(_bold(text, position, start, found))
        if end > start:
            pieces.append(
                f'<mark class="emo-{escape(label)}">{_bold(text, start, end, found)}</mark>'
            )
        position = end
    return Markup("".join(pieces))


def _found(searched: str) -> str:
    """A pattern of what the search `searched` finds (never an empty one)."""
    search = search_syntax.parse(searched)
    return "|".join(map(re.escape, search.found)) if search and search.found else "(?!)"


def _spans(pattern: str, text: str, flags: int = 0) -> list[tuple[int, int]]:
    """Where `pattern` matches in `text`, in order, without overlaps (and never empty)."""
    return [
        match.span() for match in re.finditer(pattern, text, flags) if match.end() > match.start()
    ]


def _bold(text: str, start: int, end: int, found: list[tuple[int, int]]) -> str:
    """`text[start:end]`, escaped, with the parts of it within `found` in <b class="found">: a
    term's mark stays whole around them."""
    cuts = sorted({start, end, *(cut for span in found for cut in span if start < cut < end)})
    return "".join(
        f'<b class="found">{escape(text[first:last])}</b>'
        if any(begin <= first and last <= stop for begin, stop in found)
        else str(escape(text[first:last]))
        for first, last in zip(cuts, cuts[1:], strict=False)
    )


def _pattern(phrase: str) -> str:
    """A phrase as written in a text: whole words (an emoji or emoticon may touch a word)."""
    words = phrase.split()
    pattern = re.escape(words[0])
    for before, word in zip(words, words[1:], strict=False):
        between = r"\W+" if _wordy(before[-1]) and _wordy(word[0]) else r"\W*"
        pattern += _SKIPPED + between + re.escape(word)
    if _wordy(words[0][0]):
        pattern = r"(?<!\w)" + pattern
    if _wordy(words[-1][-1]):
        pattern += r"(?!\w)"
    return pattern


def _wordy(character: str) -> bool:
    return bool(_WORD_CHARACTER.match(character))
