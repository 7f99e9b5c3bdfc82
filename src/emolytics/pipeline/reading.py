"""Reading every row of an upload, streamed in constant memory."""

from collections.abc import Iterator
from itertools import chain
from typing import IO, Any

from emolytics.engine import decoding
from emolytics.pipeline import formats, segments
from emolytics.pipeline.ingest import (
    BadRow,
    ColumnError,
    Columns,
    IngestError,
    ParsedText,
    parse_record,
    read_head,
)
from emolytics.pipeline.preview import dates_order, head_date_order, preview, workbook_head


def read_texts(
    binary: IO[bytes],
    filename: str | None,
    columns: Columns | None = None,
    sheet: str | None = None,
    *,
    numbered: str,
) -> Iterator[ParsedText | BadRow]:
    """Every row of the file as a ParsedText, or a BadRow saying why it cannot be used.

    `columns` None: guessed from the start of the file; `sheet`: a workbook's sheet (None:
    the first with a filled cell); `numbered`: what its rows' numbers count, as its
    fingerprint says (`dataset_files.Fingerprint`), for the messages. Raises IngestError for
    problems with the file as a whole (empty, binary, broken encoding, cut-short CSV, no text
    column, no such sheet, a segment column of too many values).
    """
    rows = _read(binary, filename, columns, sheet, numbered)
    if columns is not None and columns.segment:
        return segments.capped(rows, columns.segment, numbered)
    return rows


def _read(
    binary: IO[bytes],
    filename: str | None,
    columns: Columns | None,
    sheet: str | None,
    numbered: str,
) -> Iterator[ParsedText | BadRow]:
    head = read_head(binary)
    file_format = formats.detect_format(filename, head)
    encoding, text = formats.file_start(head, file_format)
    if sheet is not None and file_format != formats.WORKBOOK:
        raise IngestError(f"A sheet ({sheet!r}) is named, but the file is not a workbook.")
    if columns is None or columns.text is None:
        columns = preview(binary, filename, sheet=sheet).guesses
    if file_format != "txt" and not columns.text:
        raise ColumnError(
            "text", "There is no text column: choose the column that holds the texts."
        )
    holder = "The file"  # what a missing column is missing from
    if file_format == formats.WORKBOOK:
        opened, start = workbook_head(binary, sheet)
        day_first = dates_order(start, columns.posted_at)
        records = chain(start, opened.records)
        if len(opened.names) > 1:
            holder = f"The sheet {opened.name!r}"
    else:
        day_first = head_date_order(text, file_format, columns.posted_at)
        records = formats.records(decoding.text_stream(binary, encoding), file_format)
    seen_columns = False
    line = 0
    try:
        for line, record in records:
            if isinstance(record, BadRow):
                yield record
                continue
            if not seen_columns and file_format in ("csv", formats.WORKBOOK):
                _require_columns(record, columns, holder)
                seen_columns = True
            yield parse_record(line, record, columns, day_first)
    except UnicodeDecodeError as error:
        raise IngestError(decoding.undecodable(binary, encoding, line, numbered)) from error


def _require_columns(record: dict[str, Any], columns: Columns, holder: str) -> None:
    missing = [
        (role, column)
        for role, column in columns.as_dict().items()
        if column and column not in record
    ]
    if missing:
        role, name = missing[0]
        found = ", ".join(repr(column) for column in record) or "none"
        raise ColumnError(role, f"{holder} has no column named {name!r}: choose one of {found}.")
