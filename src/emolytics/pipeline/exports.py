"""Per-text results as CSV, an Excel workbook or JSON Lines, streamed: constant memory at any
size.

Each row carries the text's detected language; a text in a language the model does not read
has the label "not scored (language)" in CSV and the workbook (no valence or scores) and
`label` null with `not_scored` "language" in JSON Lines. `label` is the final label (a member's
correction where there is one), `model_label` the model's own beside it, and `corrected` says
which.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from emolytics.engine.languages import NOT_SCORED_CELL
from emolytics.engine.workbook_stream import Cell, Table, workbook
from emolytics.extensions import db
from emolytics.pipeline.filters import Filters, apply_filters, labels_of
from emolytics.pipeline.text_pages import TEXT_COLUMNS, model_label, text_row
from emolytics.tables import NOT_SCORED, Dataset, Result, TextRow

STREAM_BATCH = 2000
FIXED_COLUMNS = [
    "id",
    "line",
    "text",
    "posted_at",
    "author",
    "lat",
    "lon",
    "segment",
    "language",
    "label",
    "model_label",
    "corrected",
    "valence",
]
# A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what people wrote
FREE_TEXT = tuple(FIXED_COLUMNS.index(name) for name in ("text", "author", "segment"))
TEXT_WIDTH = 60  # characters: the workbook's text column, wider than the others


def lines(
    dataset: Dataset,
    filters: Filters,
    file_format: str,
    *,
    for_excel: bool = False,
    after_id: int = 0,
) -> Iterator[str] | Iterator[bytes]:
    """The export in `file_format` ("csv", "xlsx" or "jsonl"), streamed: the texts after
    `after_id`."""
    if file_format == "csv":
        return csv_lines(dataset, filters, for_excel=for_excel, after_id=after_id)
    if file_format == "xlsx":
        return workbook_chunks(dataset, filters, after_id=after_id)
    return jsonl_lines(dataset, filters, after_id=after_id)


def file_name(dataset: Dataset, ending: str) -> str:
    """A download's file name: the dataset's name in safe characters, then `ending`
    ("results.csv")."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", dataset.name).strip("-")[:60] or "dataset"
    return f"{stem}-{ending}"


def neutralise(value: str) -> str:
    """Make a text cell inert in spreadsheets: a leading quote keeps it text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _rows(dataset: Dataset, filters: Filters, after_id: int) -> Iterator[Any]:
    """The texts the filters keep, with their results, in upload order from after `after_id`."""
    statement = apply_filters(
        select(*TEXT_COLUMNS).join(TextRow, TextRow.id == Result.text_id),
        dataset,
        filters,
    )
    return streamed(statement.where(TextRow.id > after_id).order_by(TextRow.id))


def streamed(statement: Select[Any], batch: int = STREAM_BATCH) -> Iterator[Any]:
    """The statement's rows, fetched `batch` at a time (through a server-side cursor on
    PostgreSQL) and closed even when the reader stops half-way, as a cut download does."""
    result = db.session.execute(statement.execution_options(stream_results=True, yield_per=batch))
    try:
        yield from result
    finally:
        result.close()


def header(dataset: Dataset) -> list[str]:
    """The columns of the CSV and workbook exports: the fixed ones, then a score per label."""
    return FIXED_COLUMNS + [f"score_{label}" for label in labels_of(dataset)]


def values(row: Any, labels: list[str]) -> list[Cell]:
    """A text's cells under `header`, typed: None where it has no value."""
    scores = json.loads(row.scores)
    scored = model_label(row) is not None
    return [
        row.id,
        row.line,
        row.text,
        row.posted_at,
        row.author,
        row.lat,
        row.lon,
        row.segment,
        row.language,
        NOT_SCORED_CELL if row.label == NOT_SCORED else row.label,
        model_label(row) or NOT_SCORED_CELL,
        row.model_label is not None,
        round(row.valence, 4) if scored else None,
        *(round(scores[label], 4) if label in scores else None for label in labels),
    ]


def csv_lines(
    dataset: Dataset, filters: Filters, *, for_excel: bool = False, after_id: int = 0
) -> Iterator[str]:
    """The results as CSV text; `for_excel` starts it with a byte order mark, the only sign by
    which Excel knows a CSV is UTF-8 (else it reads the system's code page and garbles accents
    and emoji)."""
    labels = labels_of(dataset)
    buffer = io.StringIO()
    if for_excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header(dataset))
    for count, row in enumerate(_rows(dataset, filters, after_id), start=1):
        cells = [_csv_cell(value) for value in values(row, labels)]
        for index in FREE_TEXT:  # what people wrote is made inert; labels are the model's
            cells[index] = neutralise(cells[index])
        writer.writerow(cells)
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_cell(value: Cell) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def workbook_chunks(dataset: Dataset, filters: Filters, *, after_id: int = 0) -> Iterator[bytes]:
    """The results as an Excel workbook, the CSV's columns typed (times as Excel dates in UTC,
    `corrected` TRUE or FALSE); a text is never a formula there, so none is neutralised."""
    labels = labels_of(dataset)
    rows = (values(row, labels) for row in _rows(dataset, filters, after_id))
    return workbook(Table("Texts", header(dataset), rows, widths={2: TEXT_WIDTH}))


def jsonl_lines(dataset: Dataset, filters: Filters, *, after_id: int = 0) -> Iterator[str]:
    """Each text as the texts endpoint shows it (`text_pages.text_row`), its time in ISO 8601
    and its numbers to four decimals."""
    for row in _rows(dataset, filters, after_id):
        record = text_row(row)
        record["posted_at"] = row.posted_at.isoformat() if row.posted_at else None
        for number in ("confidence", "valence"):
            if record[number] is not None:
                record[number] = round(record[number], 4)
        record["scores"] = {label: round(score, 4) for label, score in record["scores"].items()}
        yield json.dumps(record, ensure_ascii=False) + "\n"
