"""An Excel workbook (.xlsx) written while it is sent: rows in, bytes out, constant memory.

No maintained library streams a workbook: openpyxl and XlsxWriter both build the whole file
(openpyxl keeps every distinct string in memory) before its first byte can leave, so a million
texts would wait silently and an export would no longer be constant memory. A workbook is a ZIP
archive of a few fixed XML parts and one XML part per sheet; the sheets are written row by row
into a ZIP archive that Python's zipfile writes to an unseekable stream, and each chunk is sent
as it is compressed.

A workbook holds one or more tables, a sheet each. Strings are inline (no shared-string table
to hold), numbers and booleans typed, times real Excel dates (UTC). The header row is bold,
frozen and filtered. Rows past a sheet's limit (Excel's 1,048,576 rows, or the 4 GB a ZIP entry
holds without ZIP64) go on to a next sheet.
"""

import re
import zipfile
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from math import isfinite
from typing import IO
from xml.sax.saxutils import escape

Cell = str | int | float | bool | datetime | None

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_575  # data rows per sheet: Excel's limit less the header
MAX_SHEET_BYTES = 3_500_000_000  # a sheet's XML, kept under ZIP's 4 GB entry without ZIP64
FLUSH_ROWS = 500
EXCEL_EPOCH = datetime(1899, 12, 30)
DATE_STYLE, HEADER_STYLE = 1, 2  # indexes into STYLES' cellXfs

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
PART = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{XML_START}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# XML 1.0 cannot hold these characters; Excel reads _xHHHH_ as the character HHHH, so a literal
# "_x0041_" in a text has its underscore written that way too.
UNWRITABLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]|_(?=x[0-9A-Fa-f]{4}_)"
)


class _Sink:
    """Where zipfile writes: the bytes wait here until the next chunk is sent."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, chunk: bytes) -> int:
        if chunk:  # the compressor often hands over nothing yet
            self.chunks.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        """Nothing to do: the chunks leave when `take` is called."""

    def take(self) -> bytes:
        taken = b"".join(self.chunks)
        self.chunks.clear()
        return taken


@dataclass(frozen=True)
class Table:
    """A table of a workbook: its sheet's name, header and rows; `widths` sets some columns'
    widths (by index, in characters). A table past a sheet's limit goes on in sheets named
    "name 2", "name 3", ..."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    widths: Mapping[int, float] = field(default_factory=dict)


def workbook(*tables: Table) -> Iterator[bytes]:
    """The .xlsx file of `tables`, a sheet (or more) each, in chunks."""
    sink = _Sink()
    sheets: list[tuple[str, int, str]] = []  # each sheet's name, data rows and last column
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for table in tables:
            letters = [column_letter(index) for index in range(len(table.header))]
            start = _sheet_start(table.header, letters, table.widths)
            remaining: Iterator[Sequence[Cell]] | None = iter(table.rows)
            parts = 0
            while remaining is not None:
                with book.open(f"xl/worksheets/sheet{len(sheets) + 1}.xml", "w") as part:
                    part.write(start)
                    written, remaining = yield from _sheet_rows(part, remaining, letters, sink)
                    part.write(_sheet_end(letters, written))
                parts += 1
                name = table.name if parts == 1 else f"{table.name} {parts}"
                sheets.append((name, written, letters[-1]))
        for name, text in _package_parts(sheets):
            book.writestr(name, text)
    yield sink.take()


def column_letter(index: int) -> str:
    """The letters of a 0-based column: 0 "A", 25 "Z", 26 "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_rows(
    part: IO[bytes], rows: Iterator[Sequence[Cell]], letters: list[str], sink: _Sink
) -> Generator[bytes, None, tuple[int, Iterator[Sequence[Cell]] | None]]:
    """Write rows into one sheet until it is full, sending the compressed bytes as they come:
    (rows written, the rows left for a next sheet or None)."""
    written = size = 0
    for values in rows:
        number = written + 2
        xml = _row(letters, number, values)
        part.write(xml)
        written += 1
        size += len(xml)
        if written % FLUSH_ROWS == 0 and sink.chunks:
            yield sink.take()
        if written == MAX_ROWS or size > MAX_SHEET_BYTES:
            following = next(rows, None)
            return written, None if following is None else chain([following], rows)
    return written, None


def _row(letters: list[str], number: int, values: Sequence[Cell]) -> bytes:
    """A row's XML: a cell per value that is not None (nor an infinite or undefined number)."""
    cells = [f'<row r="{number}">']
    for letter, value in zip(letters, values, strict=True):
        if isinstance(value, str):
            cells.append(f'<c r="{letter}{number}" t="inlineStr"><is>{_string(value)}</is></c>')
        elif value is None:
            continue
        elif isinstance(value, bool):
            cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, datetime):
            cells.append(
                f'<c r="{letter}{number}" s="{DATE_STYLE}"><v>{excel_date(value)!r}</v></c>'
            )
        elif isfinite(value):
            cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
    cells.append("</row>")
    return "".join(cells).encode()


def excel_date(moment: datetime) -> float:
    """A time as Excel counts it: days since 1899-12-30, in UTC (an aware time is converted)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return (moment - EXCEL_EPOCH).total_seconds() / 86_400


def _string(value: str) -> str:
    """An inline string's text element; spaces at its ends and carriage returns kept."""
    if UNWRITABLE.search(value):
        value = UNWRITABLE.sub(lambda found: f"_x{ord(found.group()):04X}_", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\r", "&#13;")  # an XML reader makes a bare one a line break
    return f'<t xml:space="preserve">{value}</t>'


def _sheet_start(header: Sequence[str], letters: list[str], widths: Mapping[int, float]) -> bytes:
    columns = "".join(
        f'<col min="{index + 1}" max="{index + 1}" width="{width}" customWidth="1"/>'
        for index, width in sorted(widths.items())
    )
    names = "".join(
        f'<c r="{letter}1" s="{HEADER_STYLE}" t="inlineStr"><is>{_string(name)}</is></c>'
        for letter, name in zip(letters, header, strict=True)
    )
    return (
        f'{XML_START}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        f"{f'<cols>{columns}</cols>' if columns else ''}"
        f'<sheetData><row r="1">{names}</row>'
    ).encode()


def _sheet_end(letters: list[str], written: int) -> bytes:
    return f'</sheetData><autoFilter ref="A1:{letters[-1]}{written + 1}"/></worksheet>'.encode()


def _package_parts(sheets: list[tuple[str, int, str]]) -> list[tuple[str, str]]:
    """The parts that name the sheets and tie the archive together, written once the rows have
    decided how many sheets there are."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{index + 1}.xml" '
        f'ContentType="{PART}.worksheet+xml"/>'
        for index in range(len(sheets))
    )
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{index + 1}" r:id="rId{index + 1}"/>'
        for index, (name, _, _) in enumerate(sheets)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        f"'{escape(name)}'!$A$1:${last}${written + 1}</definedName>"
        for index, (name, written, last) in enumerate(sheets)
    )
    links = "".join(
        f'<Relationship Id="rId{index + 1}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{index + 1}.xml"/>'
        for index in range(len(sheets))
    )
    styles_id = len(sheets) + 1
    return [
        (
            "xl/workbook.xml",
            f'{XML_START}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f"<sheets>{entries}</sheets><definedNames>{filters}</definedNames></workbook>",
        ),
        ("xl/styles.xml", STYLES),
        (
            "xl/_rels/workbook.xml.rels",
            f'{XML_START}<Relationships xmlns="{PACKAGE}/relationships">{links}'
            f'<Relationship Id="rId{styles_id}" Type="{RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>',
        ),
        (
            "_rels/.rels",
            f'{XML_START}<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "[Content_Types].xml",
            f'{XML_START}<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{PART}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{PART}.styles+xml"/>'
            f"{overrides}</Types>",
        ),
    ]
