"""Labeled texts from a file: a CSV file with a header row, in any encoding a dataset upload
accepts, or an Excel workbook's first sheet (`workbooks`). Training and adapting read them so.

Errors are `TrainingDataError` (a missing column: `MissingColumn`); their messages never name
the file's path (on the server it is a temporary file): callers that know what the user called
the file add it.
"""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from emolytics.engine import workbooks
from emolytics.engine.csv_tables import CsvTable, csv_table
from emolytics.engine.decoding import HEAD_BYTES, detect_encoding, text_stream
from emolytics.engine.errors import InputFormatError, MissingColumn, TrainingDataError


def read_labeled_csv(
    path: Path, text_column: str = "text", label_column: str = "label"
) -> tuple[list[str], list[str]]:
    """Texts and labels from a CSV file with a header row, in any encoding a dataset upload
    accepts.

    Raises `TrainingDataError` for an unreadable file, a missing column or an empty label
    (with its line number). Messages never name `path` (on the server it is a temporary file);
    callers that know what the user called the file add it.
    """
    texts: list[str] = []
    labels: list[str] = []
    for line, row in _csv_rows(path, (text_column, label_column)):
        label = (row.get(label_column) or "").strip()
        if not label:
            raise TrainingDataError(f"line {line}: empty label")
        texts.append(row.get(text_column) or "")
        labels.append(label)
    return texts, labels


def read_texts_csv(path: Path, text_column: str = "text") -> list[str]:
    """The non-blank texts of a CSV file's column, read as `read_labeled_csv` reads a file."""
    texts = (row.get(text_column) or "" for _, row in _csv_rows(path, (text_column,)))
    return [text for text in texts if text.strip()]


def check_columns(binary: BinaryIO, columns: Sequence[str]) -> None:
    """Check from its header row that a CSV file (or workbook) holds `columns`, as reading it
    would: MissingColumn names the first it lacks, TrainingDataError a file that cannot be
    read."""
    if workbooks.is_workbook(binary.read(len(workbooks.ZIP_START))):
        next(_workbook_rows(binary, columns), None)  # its header, checked with its first row
        return
    binary.seek(0)
    try:
        _require_columns(_table(binary).header, columns)
    except InputFormatError as error:
        raise TrainingDataError(_lowered(str(error))) from error
    except UnicodeDecodeError as error:
        raise TrainingDataError(f"not a readable CSV file ({error})") from error


def _csv_rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row of a CSV file (or an Excel workbook's first sheet) with a header row holding
    `columns`, with its line number."""
    try:
        with path.open("rb") as binary:
            if workbooks.is_workbook(binary.read(len(workbooks.ZIP_START))):
                yield from _workbook_rows(binary, columns)
                return
            binary.seek(0)
            table = _table(binary)
            _require_columns(table.header, columns)
            for line, fields in table.rows:
                if isinstance(fields, str):
                    raise TrainingDataError(f"line {line}: {fields}")
                yield line, table.record(fields)
    except OSError as error:
        raise TrainingDataError(f"cannot read the file: {error.strerror}") from error
    except InputFormatError as error:
        raise TrainingDataError(_lowered(str(error))) from error
    except UnicodeDecodeError as error:
        raise TrainingDataError(f"not a readable CSV file ({error})") from error


def _workbook_rows(
    binary: BinaryIO, columns: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """A workbook's rows as a CSV file's: every cell as text (a number as Excel shows it
    unformatted, an empty cell as "")."""
    try:
        rows = workbooks.records(binary)
        for index, (line, record) in enumerate(rows):
            if index == 0:
                _require_columns(list(record), columns)
            yield line, {name: workbooks.cell_text(value) for name, value in record.items()}
    except InputFormatError as error:
        raise TrainingDataError(_lowered(str(error))) from error


def _lowered(message: str) -> str:
    """A workbook's message ("The workbook's first sheet is empty.") as the other reading
    errors read ("the file is empty ..."): callers make sentences of them."""
    return message[:1].lower() + message[1:].rstrip(".")


def _table(binary: BinaryIO) -> CsvTable:
    """The file's table, read as uploads read it (`csv_tables`)."""
    return csv_table(_text(binary))


def _text(binary: BinaryIO) -> TextIO:
    try:
        encoding = detect_encoding(binary.read(HEAD_BYTES))
    except InputFormatError as error:
        raise TrainingDataError(str(error)) from error
    binary.seek(0)
    return text_stream(binary, encoding)


def _require_columns(header: Sequence[str] | None, columns: Sequence[str]) -> None:
    if not header:
        raise TrainingDataError("the file is empty (a header row is required)")
    for column in columns:
        if column not in header:
            raise MissingColumn(column, list(header))
