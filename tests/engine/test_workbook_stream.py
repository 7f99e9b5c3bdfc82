"""The streamed Excel workbook: what openpyxl (a strict reader) finds in it, cell by cell."""

import io
import random
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from emolytics.engine import workbook_stream
from emolytics.engine.workbook_stream import Table, column_letter, workbook


def opened(chunks):
    """The workbook the chunks make, and how many chunks there were."""
    chunks = list(chunks)
    assert all(isinstance(chunk, bytes) for chunk in chunks)
    return load_workbook(io.BytesIO(b"".join(chunks))), len(chunks)


def test_cells_keep_their_types_and_texts_stay_texts():
    rows = [
        [1, '=HYPERLINK("http://x") <b>&amp;</b>', datetime(2026, 10, 22, 15, 50), True, -0.4321],
        [
            2,
            "  spaces kept \r\n",
            datetime(2026, 10, 22, 17, 50, tzinfo=timezone(timedelta(hours=2))),
            False,
            None,
        ],
        [3, "bell \x07 and _x0041_ literally", None, False, float("nan")],
    ]
    book, _ = opened(
        workbook(Table("Texts", ["id", "text", "posted_at", "corrected", "valence"], rows))
    )
    sheet = book["Texts"]
    assert book.sheetnames == ["Texts"]
    assert [cell.value for cell in sheet[1]] == ["id", "text", "posted_at", "corrected", "valence"]
    assert sheet["A1"].font.b  # the header is bold
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"
    assert [cell.value for cell in sheet[2]] == [
        1,
        '=HYPERLINK("http://x") <b>&amp;</b>',
        datetime(2026, 10, 22, 15, 50),
        True,
        -0.4321,
    ]
    assert sheet["B2"].data_type == "s"  # a string, never a formula
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["B3"].value == "  spaces kept \r\n"
    assert sheet["C3"].value == datetime(2026, 10, 22, 15, 50)  # in UTC
    assert sheet["E3"].value is None and sheet["E4"].value is None  # no value, NaN left out
    # Excel reads _xHHHH_ as a character: the bell is written so, a literal one escaped
    assert sheet["B4"].value == "bell _x0007_ and _x005F_x0041_ literally"


def test_rows_past_a_sheets_limit_go_on_to_the_next_sheet(monkeypatch):
    monkeypatch.setattr(workbook_stream, "MAX_ROWS", 3)
    monkeypatch.setattr(workbook_stream, "FLUSH_ROWS", 2)
    rows = [[number, f"text {number}"] for number in range(1, 8)]
    book, chunks = opened(workbook(Table("Texts", ["id", "text"], rows, widths={1: 60})))
    assert book.sheetnames == ["Texts", "Texts 2", "Texts 3"]
    assert [
        [row[0] for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames
    ] == [
        ["id", 1, 2, 3],
        ["id", 4, 5, 6],
        ["id", 7],
    ]
    assert book["Texts 3"].auto_filter.ref == "A1:B2"
    assert book["Texts"].column_dimensions["B"].width == 60


def test_the_file_is_sent_while_the_rows_are_read():
    read = []

    def rows():
        for number in range(20_000):
            read.append(number)
            yield [number, random.randbytes(30).hex()]  # hardly compressible

    chunks = workbook(Table("Texts", ["id", "text"], rows()))
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04") and len(read) < 5_000
    rest = list(chunks)
    assert len(read) == 20_000 and all(rest)  # no empty chunk is sent
    sheet = load_workbook(io.BytesIO(first + b"".join(rest)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 20_001


def test_a_full_last_sheet_is_not_followed_by_an_empty_one(monkeypatch):
    monkeypatch.setattr(workbook_stream, "MAX_ROWS", 2)
    book, _ = opened(workbook(Table("Texts", ["id"], [[1], [2], [3], [4]])))
    assert book.sheetnames == ["Texts", "Texts 2"]


def test_tables_are_sheets_in_their_order_each_going_on_past_the_limit(monkeypatch):
    monkeypatch.setattr(workbook_stream, "MAX_ROWS", 2)
    book, _ = opened(
        workbook(
            Table("Emotions", ["label", "texts"], [["joy", 3], ["anger", 1], ["fear", 0]]),
            Table("About", ["what", "value"], [["dataset", "Tram"]], widths={1: 40}),
        )
    )
    assert book.sheetnames == ["Emotions", "Emotions 2", "About"]
    assert [row for row in book["Emotions 2"].iter_rows(values_only=True)] == [
        ("label", "texts"),
        ("fear", 0),
    ]
    assert book["About"]["B2"].value == "Tram" and book["About"].auto_filter.ref == "A1:B2"
    assert book["About"].column_dimensions["B"].width == 40


def test_no_rows_is_a_header_only_workbook():
    book, _ = opened(workbook(Table("Texts", ["id", "text"], iter([]))))
    assert [[cell.value for cell in row] for row in book["Texts"].iter_rows()] == [["id", "text"]]


def test_the_archive_is_a_plain_zip_of_the_parts_excel_needs():
    archive = zipfile.ZipFile(io.BytesIO(b"".join(workbook(Table("Sheet", ["id"], [[1]])))))
    assert archive.testzip() is None
    assert set(archive.namelist()) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    }


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_times_are_excel_days_since_1899_12_30():
    assert workbook_stream.excel_date(datetime(1900, 3, 1)) == 61
    assert workbook_stream.excel_date(datetime(2026, 1, 1, 12, tzinfo=UTC)) == 46023.5
