"""Excel workbooks (and .xls and .ods spreadsheets): the first sheet's rows as records, and
labeled texts read from one as from a CSV file; a damaged or hostile file is always an
InputFormatError (a message), never another exception, output or the process's end."""

import io
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from emolytics.engine import workbooks
from emolytics.engine.errors import InputFormatError, MissingColumn, TrainingDataError
from emolytics.engine.training import check_columns, read_labeled_csv
from tests.engine.workbook_files import XLS, ods_bytes, workbook_bytes


def test_the_first_sheets_rows_are_records_under_its_header() -> None:
    content = workbook_bytes(
        [None, None],
        ["text", "when", "text"],  # a column named twice keeps both, as in a CSV file
        ["hello", datetime(2026, 10, 22, 15, 50), "again"],
        [None, None, None],
        ["short row"],
    )
    assert list(workbooks.open_sheet(io.BytesIO(content)).records) == [
        (3, {"text": "hello", "when": "2026-10-22T15:50:00", "text (2)": "again"}),
        (5, {"text": "short row", "when": None, "text (2)": None}),
    ]


def test_a_workbook_is_read_whole_whatever_size_it_declares() -> None:
    """Some programs write a sheet's <dimension> wrong ("A1"); read-only openpyxl would cut every
    row to it, and a survey's texts would silently be lost."""
    content = workbook_bytes(["id", "text"], [1, "hello"], [2, "again", "a note"])
    source = zipfile.ZipFile(io.BytesIO(content))
    declared = io.BytesIO()
    with zipfile.ZipFile(declared, "w") as target:
        for entry in source.infolist():
            part = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C3" />' in part
                part = part.replace(b'<dimension ref="A1:C3" />', b'<dimension ref="A1" />')
            target.writestr(entry, part)
    assert list(workbooks.open_sheet(declared).records) == [
        (2, {"id": 1, "text": "hello"}),
        (3, {"id": 2, "text": "again"}),
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
    with pytest.raises(
        TrainingDataError, match="^the workbook is empty: no sheet has a filled cell$"
    ):
        read_labeled_csv(empty)


DAMAGED = """
import io, random, sys
from emolytics.engine import workbooks
from emolytics.engine.errors import InputFormatError
content, rng = sys.stdin.buffer.read(), random.Random(7)
for _ in range(int(sys.argv[1])):
    damaged = bytearray(content)
    for _ in range(rng.randint(1, 30)):
        damaged[rng.randrange(8, len(damaged))] = rng.randrange(256)
    if rng.random() < 0.3:
        damaged = damaged[: rng.randrange(8, len(damaged))]
    try:
        list(workbooks.open_sheet(io.BytesIO(bytes(damaged))).records)
    except InputFormatError:
        pass
"""


@pytest.mark.parametrize(
    "content",
    [workbook_bytes(["text"], *[[f"row {n}"] for n in range(50)]), XLS, ods_bytes(["text"], ["a"])],
    ids=["xlsx", "xls", "ods"],
)
def test_a_damaged_spreadsheet_is_an_input_format_error(content: bytes) -> None:
    """In a process of its own: a reader that aborts the process on a damaged file (as
    python-calamine's .xls reader does, so it is not used for them) fails the test, not the
    run. Every other exception fails it too, and so does any output (xlrd writes warnings)."""
    command = [sys.executable, "-c", DAMAGED, "300"]
    done = subprocess.run(command, input=content, capture_output=True, timeout=300, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


def test_a_file_that_is_no_spreadsheet_is_named_so() -> None:
    with pytest.raises(InputFormatError, match="not an Excel workbook"):
        list(workbooks.open_sheet(io.BytesIO(b"PK\x03\x04 not an archive")).records)
    with pytest.raises(InputFormatError, match="neither .xlsx, .xls nor .ods"):
        list(workbooks.open_sheet(io.BytesIO(_zip({"xl/workbook.bin": b"an .xlsb part"}))).records)


def _zip(parts: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return stream.getvalue()
