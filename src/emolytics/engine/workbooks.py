"""Excel workbooks (.xlsx, .xlsm), as survey tools and spreadsheets export them: the first
sheet's rows are the records, its first filled row the header (or the first after a report's
title rows and a blank row, as in a CSV file), each row's number its line.

Read with openpyxl in read-only mode: rows stream from the sheet's XML; the workbook's table of
distinct strings is held in memory while it is read. Cells are read as last computed (a
formula's cached value). A date cell becomes ISO 8601 text.
"""

import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from itertools import chain, islice
from typing import IO, Any

from emolytics.engine.csv_layout import PREAMBLE_LINES, header_names, preamble
from emolytics.engine.errors import InputFormatError
from emolytics.engine.surveys import without_export_rows

ZIP_START = b"PK\x03\x04"  # every workbook is a ZIP archive
MAX_UNPACKED = 1 << 30  # bytes
# What a damaged or hostile archive makes zipfile, zlib or openpyxl's XML reading raise.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # zipfile: a compression method it does not know
    RuntimeError,  # zipfile: an encrypted entry (a password-protected workbook)
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError
    OSError,
    ValueError,
)


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with `head` is a workbook (or another ZIP archive, which
    `records` refuses)."""
    return head.startswith(ZIP_START)


def records(binary: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column name: value}) for every filled row under the header (every column
    named, None where the row has no value); InputFormatError when the file is not a workbook
    openpyxl can read, or its first sheet is empty."""
    from openpyxl import load_workbook  # here: importing it takes 0.14 s, not every command's

    binary.seek(0)
    try:
        _check_size(binary)
        book = load_workbook(binary, read_only=True, data_only=True)
    except UNREADABLE as error:
        raise InputFormatError(
            f"This is not an Excel workbook that can be read ({error})."
        ) from None
    try:
        yield from _sheet_records(book.worksheets[0].iter_rows(values_only=True))
    except UNREADABLE as error:
        raise InputFormatError(f"The workbook breaks off or is damaged ({error}).") from None
    finally:
        book.close()


def _check_size(binary: IO[bytes]) -> None:
    """Refuse a workbook that unpacks past MAX_UNPACKED (a ZIP bomb, or far more than the
    upload limit holds): zipfile never unpacks an entry past the size it declares."""
    unpacked = sum(entry.file_size for entry in zipfile.ZipFile(binary).infolist())
    binary.seek(0)
    if unpacked > MAX_UNPACKED:
        raise InputFormatError(
            f"The workbook unpacks to {unpacked // 2**20:,} MB, more than"
            f" {MAX_UNPACKED // 2**20:,} MB: save its sheet as CSV and upload that."
        )


def _sheet_records(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The filled rows under the header: the first filled row, or the first after title rows
    (`csv_layout.preamble`: one filled cell each, before a table of two columns or more) and
    a blank row (without it, a header with one named column, its neighbour's name left blank,
    would be taken for a title)."""
    filled = ((line, row) for line, row in enumerate(rows, start=1) if any(map(_filled, row)))
    first = list(islice(filled, PREAMBLE_LINES + 2))
    if not first:
        raise InputFormatError("The workbook's first sheet is empty.")
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
