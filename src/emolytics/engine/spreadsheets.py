"""Spreadsheet files as office programs save them, opened: Excel workbooks (.xlsx, .xlsm), the
older .xls, and OpenDocument spreadsheets (.ods, LibreOffice's). A `Book` says what kind of
file it is and names its sheets, and gives a sheet's rows by name, as tuples of cell values
(None for an empty cell); `workbooks` chooses the sheet and reads its table.

A workbook (.xlsx, .xlsm) is read with openpyxl in read-only mode: rows stream from the sheet's
XML; the workbook's table of distinct strings is held in memory while it is read. An .xls file
(65,536 rows at most) is read whole with xlrd, and an .ods file with python-calamine, whose
.xls reader aborts the process on some damaged files. Cells are read as last computed (a
formula's cached value).
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, Any, NamedTuple

from python_calamine import CalamineError, CalamineWorkbook

from emolytics.engine.errors import InputFormatError

ZIP_START = b"PK\x03\x04"  # a workbook, .xlsb and .ods file is a ZIP archive
OLE2_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls file: a compound document
OPENPYXL_PART = "xl/workbook.xml"  # the part only a workbook that openpyxl reads holds
ODS_PART = "content.xml"  # an OpenDocument file's content
MAX_UNPACKED = 1 << 30  # bytes
# the kinds of spreadsheet read, as a sentence names them
XLSX = "an Excel workbook"
XLS = "an Excel 97-2003 workbook"
ODS = "an OpenDocument spreadsheet"
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
    document, which `open_book` refuses)."""
    return head.startswith((ZIP_START, OLE2_START))


class Book(NamedTuple):
    kind: str  # XLSX, XLS or ODS
    names: list[str]
    rows: Callable[[str], Iterator[tuple[Any, ...]]]  # a sheet's rows, from its first
    close: Callable[[], None]


def kind(binary: IO[bytes]) -> str:
    """What kind of spreadsheet the file is, as a sentence names it ("an Excel workbook"), told
    by its start and its parts; InputFormatError for any other file."""
    binary.seek(0)
    if binary.read(len(OLE2_START)) == OLE2_START:
        return XLS
    parts = _parts(binary)
    if OPENPYXL_PART in parts:
        return XLSX
    if ODS_PART in parts:
        return ODS
    # .xlsb, Apple's Numbers, or any other ZIP archive
    raise InputFormatError(_unreadable("neither .xlsx, .xls nor .ods"))


def open_book(binary: IO[bytes]) -> Book:
    """The spreadsheet, opened (`Book.close` closes it); InputFormatError when it cannot be."""
    opener = {XLS: _xls_book, XLSX: _openpyxl_book, ODS: _ods_book}[kind(binary)]
    binary.seek(0)
    return opener(binary)


def _openpyxl_book(binary: IO[bytes]) -> Book:
    from openpyxl import load_workbook  # here: importing it takes 0.14 s, not every command's

    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except UNREADABLE as error:
        raise InputFormatError(_unreadable(error)) from None
    names = [sheet.title for sheet in book.worksheets]  # not its charts
    return Book(XLSX, names, partial(_openpyxl_rows, book), book.close)


def _openpyxl_rows(book: Any, name: str) -> Iterator[tuple[Any, ...]]:
    """A sheet's rows, every cell of them: read-only openpyxl trusts the size a file declares
    (its <dimension>), which some programs write wrong ("A1"), and would cut every row to it."""
    sheet = book[name]
    sheet.reset_dimensions()
    return sheet.iter_rows(values_only=True)


def _xls_book(binary: IO[bytes]) -> Book:
    """An .xls file, read whole by xlrd (pure Python: a damaged file raises, it cannot bring
    the process down); its sheets are read as they are asked for."""
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
        names = book.sheet_names()
    except damaged as error:
        raise InputFormatError(_unreadable(error)) from None

    def rows(name: str) -> Iterator[tuple[Any, ...]]:
        try:
            sheet = book.sheet_by_name(name)
        except damaged as error:
            raise InputFormatError(_unreadable(error)) from None
        return _xls_rows(book, sheet, damaged)

    return Book(XLS, names, rows, book.release_resources)


def _xls_rows(book: Any, sheet: Any, damaged: tuple) -> Iterator[tuple[Any, ...]]:
    """An .xls sheet's rows, its cells as openpyxl gives them: an empty, blank or error cell
    (#DIV/0!) None, a date cell a datetime (a date past the calendar its number)."""
    import xlrd

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


def _ods_book(binary: IO[bytes]) -> Book:
    """An .ods file, read whole by python-calamine (whose .xls reader aborts the process on
    some damaged files: xlrd reads those)."""
    binary.seek(0)
    try:
        book = CalamineWorkbook.from_filelike(binary)
    except UNREADABLE as error:
        raise InputFormatError(_unreadable(error)) from None
    return Book(ODS, book.sheet_names, partial(_ods_rows, book), book.close)


def _ods_rows(book: CalamineWorkbook, name: str) -> Iterator[tuple[Any, ...]]:
    """A sheet's rows from its first (calamine leaves out the empty columns before the first
    filled one: they name nothing), an empty cell None, as openpyxl gives it."""
    try:
        sheet = book.get_sheet_by_name(name)
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
