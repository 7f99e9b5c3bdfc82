"""Streaming texts out of CSV, JSON (an array or JSON Lines), plain-text files and Excel
workbooks, one row at a time.

Every reader yields `InputRow`s in file order with the number a row is known by (`numbered_by`:
the line it starts on, a sheet's row, a JSON array's record). A row that cannot give a text
(bad JSON, a missing field) is yielded with an `error` instead, so callers can report it and
carry on; a file that cannot be read at all raises `InputFormatError`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from emolytics.engine import decoding, spreadsheets, workbooks
from emolytics.engine.csv_layout import is_tab_table
from emolytics.engine.csv_tables import csv_table
from emolytics.engine.errors import InputFormatError
from emolytics.engine.json_records import LINE, json_records, opens_as_json
from emolytics.engine.json_records import numbered_by as json_numbered_by
from emolytics.engine.json_values import ArrayError


class InputFormat(StrEnum):
    CSV = "csv"
    JSON = "json"  # an array, an object holding one, JSON Lines: `json_values` tells
    JSONL = "jsonl"  # JSON Lines: a line that is JSON on its own is a record
    TEXT = "text"
    XLSX = "xlsx"  # a workbook's sheet (or .xls, .ods), read as a CSV file

    @classmethod
    def for_file(cls, path: Path, head: bytes) -> "InputFormat":
        """Guess from the file's start (a workbook is a ZIP archive, whatever its name), then
        its name: .csv and .tsv, .json, .jsonl/.ndjson; a .txt file that is a table with tabs
        (Excel's "Unicode Text") is read as the upload reads it, as CSV; anything else is JSON
        when it starts so ({ or [: standard input, a file without a known name), else plain
        text."""
        suffix = path.suffix.lower()
        if spreadsheets.is_workbook(head):
            return cls.XLSX
        if suffix in (".csv", ".tsv") or (suffix == ".txt" and _tab_table(head)):
            return cls.CSV
        if suffix == ".json":
            return cls.JSON
        if suffix in (".jsonl", ".ndjson"):
            return cls.JSONL
        if suffix != ".txt" and opens_as_json(head):
            return cls.JSON  # as an upload without a known name: JSON Lines are told apart
        return cls.TEXT


def _tab_table(head: bytes) -> bool:
    try:
        encoding = decoding.detect_encoding(head)
    except InputFormatError:
        return False  # binary or broken: reading it says so
    return is_tab_table(head.decode(encoding, errors="replace"))


def numbered_by(kind: InputFormat, head: bytes) -> str:
    """What the rows' numbers count in a file of `kind` starting with `head`: a line, a
    sheet's row (ROW) or a JSON array's record (`json_records.numbered_by`)."""
    if kind is InputFormat.XLSX:
        return workbooks.ROW
    if kind not in (InputFormat.JSON, InputFormat.JSONL):
        return LINE
    try:
        encoding = decoding.detect_encoding(head)
    except InputFormatError:
        return LINE  # reading it says what is wrong
    return json_numbered_by(head.decode(encoding, errors="replace"), kind is InputFormat.JSONL)


@dataclass(slots=True)  # not frozen: one is made per line read, each field set once
class InputRow:
    line: int  # 1-based: the line the row starts on, or its number (see `numbered_by`)
    text: str | None
    error: str | None = None


def read_rows(stream: IO[str], input_format: InputFormat, column: str) -> Iterator[InputRow]:
    """Yield the rows of `stream`; `column` names the text field of CSV and JSON Lines rows."""
    if input_format is InputFormat.CSV:
        return _csv_rows(stream, column)
    if input_format in (InputFormat.JSON, InputFormat.JSONL):
        return _json_rows(stream, column, lines=input_format is InputFormat.JSONL)
    return _text_rows(stream)


def workbook_rows(sheet: workbooks.Sheet, column: str) -> Iterator[InputRow]:
    """The rows of a workbook's sheet under its header row, `column`'s cell as the text (a
    number as Excel shows it unformatted), each with its row number."""
    for index, (line, record) in enumerate(sheet.records):
        if index == 0 and column not in record:
            names = ", ".join(name for name in record)
            raise InputFormatError(
                f"no column {column!r} in the header of sheet {sheet.name!r}: {names}"
            )
        yield InputRow(line, workbooks.cell_text(record[column]))


def _text_rows(stream: IO[str]) -> Iterator[InputRow]:
    for number, line in enumerate(stream, start=1):
        yield InputRow(number, line.rstrip("\r\n"))


def _json_rows(stream: IO[str], column: str, lines: bool) -> Iterator[InputRow]:
    """The rows of a JSON array or of JSON Lines, read as the web upload reads them
    (`json_records`; `lines`: the file is said to be JSON Lines); a nested object's text is
    named by its dotted path (`--column post.body`)."""
    try:
        for line, record in json_records(stream, lines):
            yield _json_row(line, record, column)
    except ArrayError as error:
        raise InputFormatError(str(error)) from error


def _json_row(line: int, record: dict[str, Any] | str, column: str) -> InputRow:
    if isinstance(record, str):
        return InputRow(line, None, record)
    text = text_value(record.get(column))
    if not isinstance(text, str):
        problem = "missing" if column not in record else "not a string"
        return InputRow(line, None, f"field {column!r} is {problem}")
    return InputRow(line, text)


def text_value(value: Any) -> Any:
    """A text column's value as every format reads it: a number (not true or false) as a CSV
    file holds it (42, not 42.0: a survey's numeric answer in a workbook or a JSON file), any
    other value as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return workbooks.cell_text(value)
    return value


def _csv_rows(stream: IO[str], column: str) -> Iterator[InputRow]:
    """The rows of a CSV file, read as the web upload reads them (`csv_tables`)."""
    table = csv_table(stream)
    if column not in table.header:
        names = ", ".join(table.header)
        raise InputFormatError(f"no column {column!r} in the CSV header: {names}")
    position = table.header.index(column)
    for line, fields in table.rows:
        if isinstance(fields, str):
            yield InputRow(line, None, fields)
        elif position < len(fields):
            yield InputRow(line, fields[position])
        else:
            yield InputRow(line, None, f"only {len(fields)} fields, no {column!r}")
