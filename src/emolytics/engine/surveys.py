"""Survey tools' extra header rows. A Qualtrics export (CSV or workbook) has two rows under its
header that are no answers: each question's text, then a row of `{"ImportId": ...}` cells. They
are left out wherever a table is read, so that neither is analysed as a text, nor skews the
guess of the text and time columns."""

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

Row = TypeVar("Row")

IMPORT_ID = re.compile(r'\s*\{"ImportId":.*\}\s*', re.DOTALL)


def is_import_ids(values: Iterable[Any]) -> bool:
    """Whether a row is Qualtrics' row of import ids: every filled cell one, and one at least."""
    filled = [value for value in values if value is not None and str(value).strip()]
    return bool(filled) and all(IMPORT_ID.fullmatch(str(value)) for value in filled)


def without_export_rows(
    rows: Iterator[Row], values: Callable[[Row], Iterable[Any]]
) -> Iterator[Row]:
    """The rows under a header without the first two when the second is a row of import ids
    (`values`: the cells of a row that tell)."""
    first = list(islice(rows, 2))  # read when the first row is asked for, as `rows` would be
    if len(first) == 2 and is_import_ids(values(first[1])):
        first = []
    yield from first
    yield from rows
