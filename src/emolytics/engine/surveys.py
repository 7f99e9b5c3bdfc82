"""Survey tools' extra header rows, left out wherever a table is read, so that none is analysed
as a text, nor skews the guess of the text and time columns:
- a Qualtrics export (CSV or workbook) has two rows under its header that are no answers: each
  question's text, then a row of `{"ImportId": ...}` cells;
- a SurveyMonkey export has one: the kind of each question's answer ("Response",
  "Open-Ended Response") or a choice's name, with nothing under the respondent's own columns
  (the first is "Respondent ID")."""

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

Row = TypeVar("Row")

IMPORT_ID = re.compile(r'\s*\{"ImportId":.*\}\s*', re.DOTALL)
ANSWER_KINDS = frozenset({"Response", "Open-Ended Response"})


def is_import_ids(values: Iterable[Any]) -> bool:
    """Whether a row is Qualtrics' row of import ids: every filled cell one, and one at least."""
    filled = [value for value in values if value is not None and str(value).strip()]
    return bool(filled) and all(IMPORT_ID.fullmatch(str(value)) for value in filled)


def is_answer_kinds(values: Iterable[Any]) -> bool:
    """Whether a row is SurveyMonkey's row of answer kinds: one cell at least a kind, and the
    first cell (the respondent's id) empty."""
    cells = list(values)
    if not any(isinstance(value, str) and value.strip() in ANSWER_KINDS for value in cells):
        return False
    return cells[0] is None or not str(cells[0]).strip()


def without_export_rows(
    rows: Iterator[Row], values: Callable[[Row], Iterable[Any]]
) -> Iterator[Row]:
    """The rows under a header without the first two when the second is a row of import ids,
    or without the first when it is a row of answer kinds (`values`: the cells of a row that
    tell, in the table's order)."""
    first = list(islice(rows, 2))  # read when the first row is asked for, as `rows` would be
    if len(first) == 2 and is_import_ids(values(first[1])):
        first = []
    elif first and is_answer_kinds(values(first[0])):
        first = first[1:]
    yield from first
    yield from rows
