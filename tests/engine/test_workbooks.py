"""Excel workbooks: the first sheet's rows as records, and labeled texts read from one as from
a CSV file; a damaged or hostile archive is always an InputFormatError (a message), never
another exception."""

import io
import random
from datetime import datetime
from pathlib import Path

import pytest

from emolytics.engine import workbooks
from emolytics.engine.errors import InputFormatError, MissingColumn, TrainingDataError
from emolytics.engine.training import check_columns, read_labeled_csv
from tests.engine.workbook_files import workbook_bytes


def test_the_first_sheets_rows_are_records_under_its_header() -> None:
    content = workbook_bytes(
        [None, None],
        ["text", "when", "text"],  # a column named twice keeps both, as in a CSV file
        ["hello", datetime(2026, 10, 22, 15, 50), "again"],
        [None, None, None],
        ["short row"],
    )
    assert list(workbooks.records(io.BytesIO(content))) == [
        (3, {"text": "hello", "when": "2026-10-22T15:50:00", "text (2)": "again"}),
        (5, {"text": "short row", "when": None, "text (2)": None}),
    ]


def test_labeled_texts_are_read_from_a_workbook_as_from_a_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "labels.xlsx"
    path.write_bytes(workbook_bytes(["Ticket", "Label"], ["so glad", "joy"], ["late", 1]))
    assert read_labeled_csv(path, "Ticket", "Label") == (["so glad", "late"], ["joy", "1"])
    check_columns(io.BytesIO(path.read_bytes()), ("Ticket", "Label"))
    with pytest.raises(MissingColumn) as missing:
        check_columns(io.BytesIO(path.read_bytes()), ("text", "Label"))
    assert (missing.value.column, missing.value.header) == ("text", ["Ticket", "Label"])
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(workbook_bytes())
    with pytest.raises(TrainingDataError, match="^the workbook's first sheet is empty$"):
        read_labeled_csv(empty)


def test_a_damaged_workbook_is_an_input_format_error() -> None:
    content = workbook_bytes(["text"], *[[f"row {n}"] for n in range(50)])
    rng = random.Random(7)
    for _ in range(200):
        damaged = bytearray(content)
        for _ in range(rng.randint(1, 30)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(len(damaged))]
        try:
            list(workbooks.records(io.BytesIO(bytes(damaged))))
        except InputFormatError:
            pass
    with pytest.raises(InputFormatError, match="not an Excel workbook"):
        list(workbooks.records(io.BytesIO(b"PK\x03\x04 not an archive")))
