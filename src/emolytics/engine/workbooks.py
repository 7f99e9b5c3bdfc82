"""Spreadsheets as survey tools and office programs save them (`spreadsheets`: Excel workbooks,
.xls and .ods files) read as tables: one sheet's rows are the records (the sheet named, else
the first with a filled cell), its first filled row the header (or the first after a report's
title rows and a blank row, as in a CSV file), each row's number its line (named ROW where a
user reads it). A date cell becomes ISO 8601 text.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain, islice
from typing import IO, Any

from emolytics.engine.csv_layout import PREAMBLE_LINES, header_names, preamble
from emolytics.engine.errors import InputFormatError
from emolytics.engine.spreadsheets import UNREADABLE, Book, open_book
from emolytics.engine.surveys import without_export_rows

ROW = "row"  # what a sheet's numbers count


@dataclass(frozen=True)
class Sheet:
    """The sheet of a spreadsheet that is read: its name, every sheet's name (in the file's
    order), what kind of file holds them, and the sheet's records: (row number, {column name:
    value}) for every filled row under its header (every column named, None where the row has
    no value)."""

    name: str
    names: list[str]
    kind: str
    records: Iterator[tuple[int, dict[str, Any]]]


def open_sheet(binary: IO[bytes], name: str | None = None) -> Sheet:
    """The sheet called `name` (its case aside when no sheet has it exactly; None: the first
    sheet with a filled cell, as a workbook's texts follow an empty sheet left in front);
    InputFormatError when the file is not a spreadsheet that can be read, has no such sheet,
    or the sheet is empty."""
    book = open_book(binary)
    try:
        chosen, filled = _chosen(book, name)
    except BaseException:
        book.close()
        raise
    return Sheet(chosen, book.names, book.kind, _read(book, filled))


def sheets_read(binary: IO[bytes], names: Iterable[str | None]) -> dict[str | None, str | None]:
    """For each of `names`, the name of the sheet `open_sheet` reads for it (None: no such
    sheet, or an empty one), the workbook opened once; the stream is left at its start.
    InputFormatError when the file is no workbook that can be read."""
    book = open_book(binary)
    try:
        return {name: _read_as(book, name) for name in names}
    finally:
        book.close()
        binary.seek(0)


def _read_as(book: Book, name: str | None) -> str | None:
    try:
        return _chosen(book, name)[0]
    except InputFormatError:
        return None


def _chosen(book: Book, name: str | None) -> tuple[str, Iterator[tuple[int, tuple]]]:
    """The sheet's name and its filled rows, numbered (the default: see `open_sheet`)."""
    try:
        for each in [_named(book.names, name)] if name is not None else book.names:
            filled = _filled_rows(book.rows(each))
            first = next(filled, None)
            if first is not None:
                return each, chain([first], filled)
    except UNREADABLE as error:
        raise InputFormatError(_damaged(error)) from None
    if name is None:
        raise InputFormatError("The workbook is empty: no sheet has a filled cell.")
    raise InputFormatError(f"The sheet {each!r} is empty.")


def _named(names: list[str], name: str) -> str:
    if name in names:
        return name
    alike = [each for each in names if each.strip().casefold() == name.strip().casefold()]
    if len(alike) == 1:
        return alike[0]
    listed = ", ".join(repr(each) for each in names)
    raise InputFormatError(f"The workbook has no sheet named {name!r}: its sheets are {listed}.")


def _read(book: Book, filled: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, dict]]:
    try:
        yield from _sheet_records(filled)
    except UNREADABLE as error:
        raise InputFormatError(_damaged(error)) from None
    finally:
        book.close()


def _damaged(error: Exception) -> str:
    return f"The workbook breaks off or is damaged ({error})."


def _filled_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """A sheet's rows that have a filled cell, each with its number."""
    return ((line, row) for line, row in enumerate(rows, start=1) if any(map(_filled, row)))


def _sheet_records(
    filled: Iterator[tuple[int, tuple[Any, ...]]],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The filled rows under the header: the first filled row, or the first after title rows
    (`csv_layout.preamble`: one filled cell each, before a table of two columns or more) and
    a blank row (without it, a header with one named column, its neighbour's name left blank,
    would be taken for a title)."""
    first = list(islice(filled, PREAMBLE_LINES + 2))
    counts = [sum(map(_filled, row)) for _, row in first]  # filled cells a row
    header = preamble(counts, [*counts[1:], 0])
    if header and first[header][0] == first[header - 1][0] + 1:  # no blank row between
        header = 0
    names = header_names([_cell(value) for value in first[header][1]])
    for line, row in without_export_rows(chain(first[header + 1 :], filled), _cells):
        cells = [*row, *[None] * (len(names) - len(row))]  # a row may stop at its last value
        yield line, {name: _value(value) for name, value in zip(names, cells, strict=False) if name}


def cell_text(value: Any) -> str:
    """A cell as a CSV file would hold it: a number as Excel shows it unformatted (a label typed
    as 1 is read back as 1.0, and written 1), an empty cell as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cells(numbered: tuple[int, tuple[Any, ...]]) -> tuple[Any, ...]:
    return numbered[1]


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
