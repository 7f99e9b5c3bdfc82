"""The file formats an upload may have (CSV, JSON: an array or JSON Lines, plain text, Excel
workbooks and other spreadsheets), and their records."""

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath
from typing import IO, Any

from emolytics.engine import spreadsheets, workbooks
from emolytics.engine.csv_layout import is_tab_table
from emolytics.engine.csv_tables import csv_table
from emolytics.engine.errors import InputFormatError
from emolytics.engine.json_records import LINE, json_records, opens_as_json
from emolytics.engine.json_records import numbered_by as json_numbered_by
from emolytics.engine.json_values import ArrayError, json_values
from emolytics.pipeline.ingest import (
    WORKBOOK,
    BadRow,
    IngestError,
    decoded_head,
    detect_encoding,
    read_head,
)

SPREADSHEETS = ("numbers", "xlsb")  # only their own programs read them
SHEET_SUFFIXES = ("xlsx", "xlsm", "xls", "ods")  # read by `engine.workbooks`
NAME_CHARS = 120  # a dataset's name, at most (the datasets table's column)


def name_of_file(filename: str | None) -> str:
    """The name an upload takes when it is given none: its file's, without the folders some
    browsers send and without its extension ("Rider survey" for "Rider survey.xlsx")."""
    base = re.split(r"[\\/]", filename or "")[-1]
    stem = base.rsplit(".", 1)[0] if base.rfind(".") > 0 else base
    return " ".join(stem.split())[:NAME_CHARS].strip() or "Upload"


def detect_format(filename: str | None, head: bytes) -> str:
    if advice := spreadsheet_advice(filename):
        raise IngestError(advice)
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    if suffix in SHEET_SUFFIXES or spreadsheets.is_workbook(head):
        return WORKBOOK
    if suffix in ("csv", "tsv"):
        return "csv"
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix == "json":
        return "json"
    if suffix == "txt":
        return "csv" if _tab_separated(head) else "txt"
    if opens_as_json(head):
        return "json"  # not said to be JSON Lines: `json_values` tells them apart
    raise IngestError(
        "Unknown file type: use a .csv, .xlsx, .xls, .ods, .json, .jsonl or .txt file."
    )


def file_start(head: bytes, file_format: str) -> tuple[str, str]:
    """The encoding a file of `file_format` starting with `head` is read with (WORKBOOK for a
    workbook, which has none) and its complete first lines ("" for a workbook)."""
    if file_format == WORKBOOK:
        return WORKBOOK, ""
    encoding = detect_encoding(head)
    return encoding, decoded_head(head, encoding)


def _tab_separated(head: bytes) -> bool:
    """Whether a .txt file is a table with tabs between its columns (`is_tab_table`)."""
    try:
        return is_tab_table(file_start(head, "txt")[1])
    except IngestError:
        return False  # binary or broken: reading it says so


def spreadsheet_advice(filename: str | None) -> str | None:
    """How to upload the texts of a spreadsheet, when `filename` names one; else None."""
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    if suffix not in SPREADSHEETS:
        return None
    return (
        f"A .{suffix} file is a spreadsheet only its own program reads: save it as .xlsx or as "
        "CSV (in Excel or LibreOffice: File, Save As) and upload that file."
    )


def file_numbered_by(binary: IO[bytes], filename: str | None) -> str:
    """`numbered_by` of the file `binary`, read from its start (left there); LINE when it cannot
    be read (reading it says why)."""
    head = read_head(binary)
    try:
        file_format = detect_format(filename, head)
        return numbered_by(file_start(head, file_format)[1], file_format)
    except IngestError:
        return LINE


def numbered_by(first_lines: str, file_format: str) -> str:
    """What the numbers of `records` count in a file of `file_format` that starts with
    `first_lines`: a line, a sheet's row or a JSON array's record (`json_records.numbered_by`)."""
    if file_format == WORKBOOK:
        return workbooks.ROW
    if file_format in ("json", "jsonl"):
        return json_numbered_by(first_lines, lines=file_format == "jsonl")
    return LINE


def records(stream: IO[str], file_format: str) -> Iterator[tuple[int, Any]]:
    """(number: a line, or see `numbered_by`; record dict or BadRow), from the start of
    `stream`."""
    if file_format == "csv":
        return _csv_records(stream)
    if file_format == "txt":
        return _txt_records(stream)
    return _json_records(stream, lines=file_format == "jsonl")


def csv_header(first_lines: str) -> list[str]:
    """The names of a CSV file's columns (those that have one), from its first lines."""
    try:
        header = csv_table(io.StringIO(first_lines, newline="")).header
    except InputFormatError:
        return []
    return [name for name in header if name]


def _csv_records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    """A CSV file's records (`engine.csv_tables`: as `emolytics analyze` reads them)."""
    try:
        table = csv_table(stream)
        for line, fields in table.rows:
            yield line, table.record(fields) if isinstance(fields, list) else BadRow(line, fields)
    except InputFormatError as error:
        raise IngestError(str(error)) from None


def workbook_sheet(binary: IO[bytes], name: str | None = None) -> workbooks.Sheet:
    """A workbook's sheet `name` (None: the first with a filled cell; `engine.workbooks`),
    its records read as an upload reads them; IngestError when it cannot be read."""
    try:
        sheet = workbooks.open_sheet(binary, name)
    except InputFormatError as error:
        raise IngestError(str(error)) from None
    return replace(sheet, records=_ingested(sheet.records))


def _ingested(records: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Any]]:
    try:
        yield from records
    except InputFormatError as error:
        raise IngestError(str(error)) from None


def records_array(first_lines: str, file_format: str) -> str | None:
    """The dotted names of the members holding a JSON object's array of records
    (`data.children`), as its start shows; None when the file is not such an object."""
    if file_format not in ("json", "jsonl"):
        return None
    values = json_values(io.StringIO(first_lines, newline=""), lines=file_format == "jsonl")
    try:
        next(values, None)  # far enough to find the array
    except ArrayError:
        return None
    return values.array


def _txt_records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    for line, raw in enumerate(stream, start=1):
        content = raw.strip("\r\n")
        if content.strip():
            yield line, {"text": content}


def _json_records(stream: IO[str], lines: bool) -> Iterator[tuple[int, Any]]:
    """A JSON file's records (`engine.json_records`: as `emolytics analyze` reads them)."""
    try:
        for line, record in json_records(stream, lines):
            yield line, record if isinstance(record, dict) else BadRow(line, record)
    except ArrayError as error:
        raise IngestError(str(error)) from error
