"""The words that made a text's label, marked in the text (texts table, text page, quick
analysis)."""

import re

from markupsafe import Markup, escape

from emolytics.pipeline import analysis
from emolytics.pipeline.analysed_by import explain
from emolytics.pipeline.text_pages import TextPage
from emolytics.tables import Dataset


def highlight_page(dataset: Dataset, page: TextPage) -> None:
    """Mark the words that made each text's label (the page's texts only)."""
    if not page.rows or dataset.current_job_id is None:
        return
    explained = explain(dataset, [row["text"] for row in page.rows])
    for row, result in zip(page.rows, explained, strict=True):
        terms = reasons(result.contributions)
        row["highlighted"] = highlight(row["text"], pushing(terms)[:6], row["label"])
        row["terms"] = terms


def reasons(contributions: tuple[tuple[str, float], ...]) -> list[tuple[str, float]]:
    """The contributions worth showing a reader (no function words)."""
    return [(term, weight) for term, weight in contributions if analysis.telling(term)]


def pushing(reasons: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(term, weight) for term, weight in reasons if weight > 0]


def highlight(text: str, terms: list[tuple[str, float]], label: str) -> Markup:
    """`text`, escaped, with each contributing term wrapped in <mark>."""
    if not terms:
        return escape(text)
    words = sorted({term for term, _ in terms}, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words))
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(str(escape(text[position : match.start()])))
        pieces.append(f'<mark class="emo-{escape(label)}">{escape(match.group())}</mark>')
        position = match.end()
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))
