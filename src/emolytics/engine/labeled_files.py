"""Labeled texts from a file: a CSV file with a header row, in any encoding a dataset upload
accepts, a workbook's sheet (named, else the first with a filled cell), or a JSON file (an array
of objects, or JSON Lines, as data sets are often shared). Training and adapting read them so.

Errors are `TrainingDataError` (a missing column: `MissingColumn`); their messages never name
the file's path (on the server it is a temporary file): callers that know what the user called
the file add it.
"""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from emolytics.engine import spreadsheets, workbooks
from emolytics.engine.csv_tables import csv_table
from emolytics.engine.decoding import HEAD_BYTES, detect_encoding, text_stream
from emolytics.engine.errors import InputFormatError, MissingColumn, TrainingDataError
from emolytics.engine.json_records import json_records, opens_as_json
from emolytics.engine.json_values import ArrayError
from emolytics.engine.readers import text_value


def read_labeled_csv(
    path: Path, text_column: str = "text", label_column: str = "label", sheet: str | None = None
) -> tuple[list[str], list[str]]:
    """Texts and labels from a labeled file (CSV with a header row, in any encoding a dataset
    upload accepts, a workbook's sheet `sheet` or JSON).

    Raises `TrainingDataError` for an unreadable file, a missing column or an empty label
    (with its line number). Messages never name `path` (on the server it is a temporary file);
    callers that know what the user called the file add it.
    """
    texts: list[str] = []
    labels: list[str] = []
    for line, row in _file_rows(path, (text_column, label_column), sheet):
        label = (row.get(label_column) or "").strip()
        if not label:
            raise TrainingDataError(f"line {line}: empty label")
        texts.append(row.get(text_column) or "")
        labels.append(label)
    return texts, labels


def read_texts_csv(path: Path, text_column: str = "text") -> list[str]:
    """The non-blank texts of a CSV file's column, read as `read_labeled_csv` reads a file."""
    texts = (row.get(text_column) or "" for _, row in _file_rows(path, (text_column,)))
    return [text for text in texts if text.strip()]


def check_columns(binary: BinaryIO, columns: Sequence[str], sheet: str | None = None) -> None:
    """Check from its header row (a JSON file: its first record) that a file holds `columns`,
    as reading it would: MissingColumn names the first it lacks, TrainingDataError a file that
    cannot be read (or a workbook without the sheet `sheet`)."""
    next(_rows(binary, columns, sheet), None)


def _file_rows(
    path: Path, columns: Sequence[str], sheet: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row of a labeled file with a header row holding `columns`, with its line number."""
    try:
        with path.open("rb") as binary:
            yield from _rows(binary, columns, sheet)
    except OSError as error:
        raise TrainingDataError(f"cannot read the file: {error.strerror}") from error


def _rows(
    binary: BinaryIO, columns: Sequence[str], sheet: str | None
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file, a workbook's sheet `sheet` (None: the first with a filled cell)
    or a JSON file (told by their start), `columns` checked before the first."""
    head = binary.read(HEAD_BYTES)
    binary.seek(0)
    if spreadsheets.is_workbook(head):
        yield from _workbook_rows(binary, columns, sheet)
        return
    if sheet is not None:
        raise TrainingDataError(f"a sheet ({sheet!r}) is named, but the file is not a workbook")
    try:
        text = _text(binary, head)
        if opens_as_json(head):
            yield from _json_rows(text, columns)
            return
        table = csv_table(text)
        _require_columns(table.header, columns)
        for line, fields in table.rows:
            if isinstance(fields, str):
                raise TrainingDataError(f"line {line}: {fields}")
            yield line, table.record(fields)
    except (InputFormatError, ArrayError) as error:
        raise TrainingDataError(_lowered(str(error))) from error
    except UnicodeDecodeError as error:
        raise TrainingDataError(f"not a readable CSV file ({error})") from error


def _json_rows(stream: TextIO, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """A JSON file's records (an array of objects or JSON Lines, as uploads read them), each
    value as a CSV file holds it: a number as its digits, null as ""."""
    for index, (line, record) in enumerate(json_records(stream, lines=False)):
        if isinstance(record, str):
            raise TrainingDataError(f"line {line}: {record}")
        if index == 0:
            _require_columns(list(record), columns)
        yield line, {column: _json_cell(line, column, record.get(column)) for column in columns}


def _json_cell(line: int, column: str, value: Any) -> str:
    text = text_value(value)  # a number as a CSV file holds it, as every reader has it
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TrainingDataError(f"line {line}: {column!r} is not a string or a number")
    return text


def _workbook_rows(
    binary: BinaryIO, columns: Sequence[str], sheet: str | None
) -> Iterator[tuple[int, dict[str, str]]]:
    """A workbook's rows as a CSV file's: every cell as text (a number as Excel shows it
    unformatted, an empty cell as "")."""
    try:
        opened = workbooks.open_sheet(binary, sheet)
        named = opened.name if len(opened.names) > 1 else None  # said when there are several
        for index, (line, record) in enumerate(opened.records):
            if index == 0:
                _require_columns(list(record), columns, named)
            yield line, {name: workbooks.cell_text(value) for name, value in record.items()}
    except InputFormatError as error:
        raise TrainingDataError(_lowered(str(error))) from error


def _lowered(message: str) -> str:
    """A workbook's message ("The sheet 'Notes' is empty.") as the other reading errors read
    ("the file is empty ..."): callers make sentences of them."""
    return message[:1].lower() + message[1:].rstrip(".")


def _text(binary: BinaryIO, head: bytes) -> TextIO:
    try:
        encoding = detect_encoding(head)
    except InputFormatError as error:
        raise TrainingDataError(str(error)) from error
    return text_stream(binary, encoding)


def _require_columns(
    header: Sequence[str] | None, columns: Sequence[str], sheet: str | None = None
) -> None:
    if not header:
        raise TrainingDataError("the file is empty (a header row is required)")
    for column in columns:
        if column not in header:
            raise MissingColumn(column, list(header), sheet)
