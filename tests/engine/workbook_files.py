"""Spreadsheets made for the tests: rows in, the file's bytes out (an Excel workbook, or an
OpenDocument spreadsheet as LibreOffice saves one); and an .xls file as Excel 97-2003 saves one
(`XLS`, made once with xlwt 1.3.0: no maintained library writes the format)."""

import io
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

# "Tram survey, March" in A1, a blank row, then: text, created_at (a date cell), stars;
# "I love the new tram, so quick", 2026-03-01 08:00, 5;
# "The delays make me furious every morning", 2026-03-02 09:30, 1; 42, (empty), 3.
# A second sheet, "Notes", is not read.
XLS = (Path(__file__).parent / "files" / "survey.xls").read_bytes()

ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
NAMESPACES = " ".join(
    f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
    for prefix, name in (("office", "office"), ("table", "table"), ("text", "text"))
)


def workbook_bytes(*rows: list) -> bytes:
    return workbook_sheets({"Sheet": list(rows)})


def workbook_sheets(sheets: dict[str, list[list]]) -> bytes:
    """An Excel workbook of the sheets named, each with its rows, in order."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def ods_bytes(*rows: list) -> bytes:
    """An .ods file whose first sheet holds `rows` (strings, numbers, datetimes, None)."""
    return ods_sheets({"Sheet1": list(rows)})


def ods_sheets(sheets: dict[str, list[list]]) -> bytes:
    """An .ods file of the sheets named, each with its rows, in order."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(value) for value in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}'
        f' office:version="1.2"><office:body><office:spreadsheet>{tables}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_TYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_TYPE)  # first, and stored
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return stream.getvalue()


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime):
        kind = f'office:value-type="date" office:date-value="{value.isoformat()}"'
    elif isinstance(value, int | float):
        kind = f'office:value-type="float" office:value="{value}"'
    else:
        kind = 'office:value-type="string"'
    return f"<table:table-cell {kind}><text:p>{escape(str(value))}</text:p></table:table-cell>"
