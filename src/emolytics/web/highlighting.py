"""The terms that made a text's label: its reasons, and the text with the terms that pushed
towards the label marked (texts table, text page, quick analysis)."""

import re

from markupsafe import Markup, escape

from emolytics.pipeline import terms
from emolytics.pipeline.terms import Reason
from emolytics.pipeline.text_pages import TextPage
from emolytics.tables import Dataset

_WORD_CHARACTER = re.compile(r"\w")
# Between the words of a phrase: what separates them, and the words a negation's phrase skips
# ("not happy" in "not very happy").
_SKIPPED = r"(?:\W+[\w'’]+){0,2}?"


def highlight_page(dataset: Dataset, page: TextPage) -> None:
    """Give each text of the page its reasons and its marked text (the page's texts only). The
    reasons are the model's: a corrected text's marks are those of the model's label."""
    terms.add_reasons(dataset, page.rows)
    for row in page.rows:
        label = row["model_label"] or row["label"]
        row["highlighted"] = highlight(row["text"], row.get("reasons", []), label)


def highlight(text: str, reasons: list[Reason], label: str) -> Markup:
    """`text`, escaped, with each term that pushed towards `label` wrapped in <mark>."""
    phrases = sorted(
        {reason.term for reason in reasons if reason.direction == "towards"}, key=len, reverse=True
    )
    if not phrases:
        return escape(text)
    pattern = re.compile("|".join(_pattern(phrase) for phrase in phrases))
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(str(escape(text[position : match.start()])))
        pieces.append(f'<mark class="emo-{escape(label)}">{escape(match.group())}</mark>')
        position = match.end()
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


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
