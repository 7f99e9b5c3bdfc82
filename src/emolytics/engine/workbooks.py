"""Spreadsheets as survey tools and office programs save them: Excel workbooks (.xlsx, .xlsm;
and the older .xls) and OpenDocument spreadsheets (.ods, LibreOffice's). The first
sheet's rows are the records, its first filled row the header (or the first after a report's
title rows and a blank row, as in a CSV file), each row's number its line.

A workbook (.xlsx, .xlsm) is read with openpyxl in read-only mode: rows stream from the sheet's
XML; the workbook's table of distinct strings is held in memory while it is read. An .xls file
(65,536 rows at most) is read whole with xlrd, and an .ods file with python-calamine, whose
.xls reader aborts the process on some damaged files. Cells are read as last computed (a
formula's cached value). A date cell becomes ISO 8601 text.
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from itertools import chain, islice
from typing import IO, Any

from python_calamine import CalamineError, CalamineWorkbook

from emolytics.engine.csv_layout import PREAMBLE_LINES, header_names, preamble
from emolytics.engine.errors import InputFormatError
from emolytics.engine.surveys import without_export_rows

ZIP_START = b"PK\x03\x04"  # a workbook, .xlsb and .ods file is a ZIP archive
OLE2_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls file: a compound document
OPENPYXL_PART = "xl/workbook.xml"  # the part only a workbook that openpyxl reads holds
ODS_PART = "content.xml"  # an OpenDocument file's content
MAX_UNPACKED = 1 << 30  # bytes
# What a damaged or hostile file makes zipfile, zlib, openpyxl's XML reading or calamine raise.
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
    CalamineError,  # python-calamine: any file it cannot read (a password's too)
)


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with `head` is a spreadsheet (or another ZIP archive or compound
    document, which `records` refuses)."""
    return head.startswith((ZIP_START, OLE2_START))


def records(binary: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column name: value}) for every filled row under the header (every column
    named, None where the row has no value); InputFormatError when the file is not a spreadsheet
    that can be read, or its first sheet is empty."""
    binary.seek(0)
    if binary.read(len(OLE2_START)) == OLE2_START:
        rows = _xls_rows(binary)
    else:
        parts = _parts(binary)
        if OPENPYXL_PART in parts:
            rows = _openpyxl_rows(binary)
        elif ODS_PART in parts:
            rows = _ods_rows(binary)
        else:  # .xlsb, Apple's Numbers, or any other ZIP archive
            raise InputFormatError(_unreadable("neither .xlsx, .xls nor .ods"))
    try:
        yield from _sheet_records(rows)
    except UNREADABLE as error:
        raise InputFormatError(f"The workbook breaks off or is damaged ({error}).") from None


def _openpyxl_rows(binary: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook  # here: importing it takes 0.14 s, not every command's

    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except UNREADABLE as error:
        raise InputFormatError(_unreadable(error)) from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def _xls_rows(binary: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """An .xls file's first sheet, read whole by xlrd (pure Python: a damaged file raises, it
    cannot bring the process down), its cells as openpyxl gives them: an empty, blank or
    error cell (#DIV/0!) None, a date cell a datetime (a date past the calendar its number)."""
    import xlrd  # here: importing it takes 30 ms, not every command's

    # what a damaged file makes xlrd raise besides: its own errors, a record cut short, a
    # layout it checks, a code page it does not know, a size past C's int
    damaged = (*UNREADABLE, xlrd.XLRDError, xlrd.compdoc.CompDocError, struct.error)
    damaged += (AssertionError, LookupError, OverflowError)
    binary.seek(0)
    try:
        book = xlrd.open_workbook(
            file_contents=binary.read(),
            on_demand=True,
            logfile=io.StringIO(),  # not stdout
        )
        sheet = book.sheet_by_index(0)
    except damaged as error:
        raise InputFormatError(_unreadable(error)) from None
    kept = (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER)
    for index in range(sheet.nrows):
        row: list[Any] = []
        for cell in sheet.row(index):
            value = cell.value if cell.ctype in kept else None
            if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                except damaged:
                    value = cell.value
            row.append(value)
        yield tuple(row)


def _ods_rows(binary: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """An .ods file's first sheet from its first row, read whole by python-calamine (which
    leaves out the empty columns before the first filled one: they name nothing), an empty
    cell None, as openpyxl gives it."""
    binary.seek(0)
    try:
        with CalamineWorkbook.from_filelike(binary) as book:
            sheet = book.get_sheet_by_index(0)
    except UNREADABLE as error:
        raise InputFormatError(_unreadable(error)) from None
    for row in sheet.iter_rows():
        yield tuple(None if value == "" else value for value in row)


def _unreadable(error: Exception | str) -> str:
    return f"This is not an Excel workbook or spreadsheet that can be read ({error})."


def _parts(binary: IO[bytes]) -> set[str]:
    """The names of a ZIP archive's parts; InputFormatError for an archive that cannot be read,
    or that unpacks past MAX_UNPACKED (a ZIP bomb, or far more than the upload limit holds):
    zipfile never unpacks an entry past the size it declares."""
    try:
        entries = zipfile.ZipFile(binary).infolist()
    except UNREADABLE as error:
        raise InputFormatError(_unreadable(error)) from None
    binary.seek(0)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        raise InputFormatError(
            f"The workbook unpacks to {unpacked // 2**20:,} MB, more than"
            f" {MAX_UNPACKED // 2**20:,} MB: save its sheet as CSV and upload that."
        )
    return {entry.filename for entry in entries}


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
