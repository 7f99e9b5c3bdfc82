"""Reading uploaded texts: CSV, JSON Lines or plain text, streamed in constant memory.

Encodings: as `engine.decoding` detects them (UTF-8, UTF-16 or Latin-1, never Latin-1 for
broken UTF-8). A file that starts as UTF-8 and breaks later is an error, not silently re-read.
Rows that cannot be read become `BadRow`s with their line numbers; problems with the file as a
whole raise `IngestError`.
"""

import codecs
import csv
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import PurePath
from typing import IO, Any

from emolytics.engine import decoding
from emolytics.engine.decoding import HEAD_BYTES
from emolytics.engine.errors import InputFormatError

MAX_TEXT_CHARS = 20_000
MAX_AUTHOR_CHARS = 200
PREVIEW_ROWS = 8
FORMATS = ("csv", "jsonl", "txt")
SPREADSHEETS = ("xlsx", "xlsm", "xls", "ods")  # only their own programs read them

TEXT_NAMES = ("text", "content", "body", "message", "tweet", "review", "comment", "post", "answer")
TIME_NAMES = ("created_at", "timestamp", "posted_at", "date", "time", "datetime", "published")
AUTHOR_NAMES = ("author", "user", "username", "screen_name", "user_name", "handle", "name")
LAT_NAMES = ("lat", "latitude")
LON_NAMES = ("lon", "lng", "long", "longitude")
# The Unix seconds a datetime can hold: years 1 to 9999.
FIRST_SECOND = datetime(1, 1, 1, tzinfo=UTC).timestamp()
LAST_SECOND = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp() + 1
UNIX_SECONDS = re.compile(r"\s*\d{9,11}(\.\d+)?\s*")


class IngestError(Exception):
    """The file as a whole cannot be used; the message is for the user."""


class ColumnError(IngestError):
    """A column role (`text`, `posted_at`, ...) names no column of the file, or none was found."""

    def __init__(self, role: str, message: str) -> None:
        super().__init__(message)
        self.role = role


@dataclass(frozen=True)
class Columns:
    """Which input columns hold the text and its optional details (None: not present)."""

    text: str | None = None
    posted_at: str | None = None
    author: str | None = None
    lat: str | None = None
    lon: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


@dataclass(frozen=True, slots=True)  # slots: a million are made per large upload
class ParsedText:
    line: int
    text: str
    posted_at: datetime | None = None
    author: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class Preview:
    format: str
    encoding: str
    columns: list[str]
    rows: list[dict[str, str]]
    guesses: Columns
    problems: list[BadRow] = field(default_factory=list)  # in line order
    lines: list[int] = field(default_factory=list)  # the file line of each row


# --- format and encoding --------------------------------------------------------------------


def detect_format(filename: str | None, head: bytes) -> str:
    if advice := spreadsheet_advice(filename):
        raise IngestError(advice)
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv"):
        return "csv"
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    if suffix == "txt":
        return "txt"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    raise IngestError("Unknown file type: use a .csv, .jsonl or .txt file.")


def spreadsheet_advice(filename: str | None) -> str | None:
    """How to upload the texts of a spreadsheet, when `filename` names one; else None."""
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    if suffix not in SPREADSHEETS:
        return None
    return (
        f"A .{suffix} file is a spreadsheet: save it as CSV (in Excel or LibreOffice: File, "
        "Save As, CSV UTF-8) and upload the CSV file."
    )


def detect_encoding(head: bytes) -> str:
    """The encoding of a file that starts with `head` (see `engine.decoding`)."""
    try:
        return decoding.detect_encoding(head)
    except InputFormatError as error:
        raise IngestError(str(error)) from error


def file_encoding(binary: IO[bytes]) -> str:
    """The codec `read_texts` reads the file with (IngestError when it cannot read it)."""
    binary.seek(0)
    return detect_encoding(_read_head(binary))


def _decoded_head(head: bytes, encoding: str) -> str:
    """The complete lines at the start of the file (the last one may be cut by the head)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head, final=len(head) < HEAD_BYTES)
    if len(head) >= HEAD_BYTES and "\n" in text:
        text = text[: text.rfind("\n") + 1]
    return text


def _delimiter(first_line: str) -> str:
    """The CSV delimiter: whichever of , ; tab | the header line uses most (comma on a tie)."""
    counts = {candidate: first_line.count(candidate) for candidate in ",;\t|"}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] > counts[","] else ","


def _read_head(binary: IO[bytes]) -> bytes:
    head = binary.read(HEAD_BYTES)
    binary.seek(0)
    return head


# --- preview ----------------------------------------------------------------------------------


def preview(binary: IO[bytes], filename: str | None, chosen: Columns | None = None) -> Preview:
    """The first rows, the columns and guesses for each role, from the start of a file.

    `problems` holds the rows among them that the import would refuse when reading the columns
    `chosen` (None: the guesses), so the page can mark them before the upload.
    """
    head = _read_head(binary)
    file_format = detect_format(filename, head)
    encoding = detect_encoding(head)
    records: list[tuple[int, dict[str, Any]]] = []
    problems: list[BadRow] = []
    text = _decoded_head(head, encoding)
    columns = _csv_header(text) if file_format == "csv" else []
    try:
        for line, record in _records(io.StringIO(text, newline=""), file_format, text):
            if isinstance(record, BadRow):
                problems.append(record)
                continue
            columns.extend(name for name in record if name not in columns)
            records.append((line, record))
            if len(records) >= PREVIEW_ROWS:
                break
    except IngestError as error:
        problems.append(BadRow(0, str(error)))
    guesses = guess_columns(columns)
    problems.extend(_row_problems(records, chosen or guesses, file_format))
    rows = [{name: _shorten(value) for name, value in record.items()} for _, record in records]
    lines = [line for line, _ in records]
    problems.sort(key=lambda row: row.line)
    return Preview(file_format, encoding, columns, rows, guesses, problems, lines)


def _row_problems(
    records: list[tuple[int, dict[str, Any]]], columns: Columns, file_format: str
) -> list[BadRow]:
    """The rows the import would refuse (none are checked until a text column is known)."""
    if file_format != "txt" and not columns.text:
        return []
    checked = (_parse_record(line, record, columns) for line, record in records)
    return [row for row in checked if isinstance(row, BadRow)]


def _csv_header(first_lines: str) -> list[str]:
    first_line = first_lines.split("\n", 1)[0]
    try:
        names = next(csv.reader([first_line], delimiter=_delimiter(first_line)), [])
    except csv.Error:
        return []
    return [name.strip() for name in names if name.strip()]


def _shorten(value: Any, limit: int = 200) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def guess_columns(columns: list[str]) -> Columns:
    """Roles guessed from column names alone; the user confirms or picks in the preview."""

    def named(candidates: tuple[str, ...]) -> str | None:
        lowered = {name.lower().strip(): name for name in columns}
        return next((lowered[name] for name in candidates if name in lowered), None)

    return Columns(
        text=named(TEXT_NAMES),
        posted_at=named(TIME_NAMES),
        author=named(AUTHOR_NAMES),
        lat=named(LAT_NAMES),
        lon=named(LON_NAMES),
    )


# --- reading ----------------------------------------------------------------------------------


def read_texts(
    binary: IO[bytes], filename: str | None, columns: Columns | None = None
) -> Iterator[ParsedText | BadRow]:
    """Every row of the file as a ParsedText, or a BadRow saying why it cannot be used.

    `columns` None: guessed from the start of the file. Raises IngestError for problems with
    the file as a whole (empty, binary, broken encoding, cut-short CSV, no text column).
    """
    head = _read_head(binary)
    file_format = detect_format(filename, head)
    encoding = detect_encoding(head)
    if columns is None or columns.text is None:
        columns = preview(binary, filename).guesses
    if file_format != "txt" and not columns.text:
        raise ColumnError(
            "text", "There is no text column: choose the column that holds the texts."
        )
    stream = decoding.text_stream(binary, encoding)
    seen_columns = False
    line = 0
    try:
        for line, record in _records(stream, file_format, _decoded_head(head, encoding)):
            if isinstance(record, BadRow):
                yield record
                continue
            if not seen_columns and file_format == "csv":
                _require_columns(record, columns)
                seen_columns = True
            yield _parse_record(line, record, columns)
    except UnicodeDecodeError as error:
        raise IngestError(decoding.undecodable(binary, encoding, line)) from error


def _require_columns(record: dict[str, Any], columns: Columns) -> None:
    missing = [
        (role, column)
        for role, column in columns.as_dict().items()
        if column and column not in record
    ]
    if missing:
        role, name = missing[0]
        found = ", ".join(repr(column) for column in record) or "none"
        raise ColumnError(role, f"The file has no column named {name!r}: choose one of {found}.")


def _records(stream: IO[str], file_format: str, first_lines: str) -> Iterator[tuple[int, Any]]:
    """(line number, record dict or BadRow)."""
    if file_format == "csv":
        return _csv_records(stream, _delimiter(first_lines.split("\n", 1)[0]))
    return {"jsonl": _jsonl_records, "txt": _txt_records}[file_format](stream)


def _txt_records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    for line, raw in enumerate(stream, start=1):
        content = raw.strip("\r\n")
        if content.strip():
            yield line, {"text": content}


def _jsonl_records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    for line, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            record = decoding.load_json_line(raw)
        except ValueError:
            yield line, BadRow(line, "not valid JSON")
            continue
        if isinstance(record, str):
            record = {"text": record}
        if not isinstance(record, dict):
            yield line, BadRow(line, "not a JSON object")
            continue
        if has_lone_surrogate(raw, record):
            yield line, BadRow(line, LONE_SURROGATE)
            continue
        yield line, record


LONE_SURROGATE = "a \\u escape names half of a character (an unpaired surrogate)"


def has_lone_surrogate(raw: str, value: Any) -> bool:
    """Whether JSON text `raw`, parsed into `value`, escapes half a UTF-16 pair (`\\ud800`):
    Python accepts it, but it is no character, and no database stores it."""
    if "\\ud" not in raw and "\\uD" not in raw:
        return False  # the quick answer for nearly every line
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _csv_records(stream: IO[str], delimiter: str) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise IngestError("The file is empty.") from None
    except csv.Error as error:
        raise IngestError(f"line 1: the CSV header cannot be read ({error}).") from error
    header = [name.strip() for name in header]
    if not any(header):
        raise IngestError("line 1: the CSV header is empty.")
    previous_end = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise IngestError(
                f"line {previous_end + 1}: the CSV cannot be read ({error}); "
                "is the file cut short or a quote left open?"
            ) from error
        line = previous_end + 1
        previous_end = reader.line_num
        if not "".join(values).strip():
            continue
        if len(values) > len(header) == 1:
            values = [delimiter.join(values)]  # one column: an unquoted comma is part of it
        if len(values) > len(header):
            yield line, BadRow(line, f"{len(values)} fields, but the header has {len(header)}")
            continue
        yield line, dict(zip(header, values, strict=False))


# Our own length check makes an overlong text a bad row with a clear reason, so the csv
# module's limit only has to stay above any field an upload can hold.
csv.field_size_limit(2**30)


def _parse_record(line: int, record: dict[str, Any], columns: Columns) -> ParsedText | BadRow:
    text = record.get(columns.text or "text")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        return BadRow(line, "no text")
    if len(text) > MAX_TEXT_CHARS:
        return BadRow(line, f"the text is longer than {MAX_TEXT_CHARS:,} characters")
    if "\x00" in text:
        return BadRow(line, "the text contains a NUL character")
    try:
        posted_at = parse_timestamp(record.get(columns.posted_at)) if columns.posted_at else None
        lat, lon = _coordinates(record, columns)
    except (ValueError, OverflowError) as error:  # a date past year 9999 overflows
        return BadRow(line, str(error))
    author = _author(record.get(columns.author)) if columns.author else None
    return ParsedText(line, text, posted_at, author, lat, lon)


def _author(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).replace("\x00", "").strip()[:MAX_AUTHOR_CHARS] or None


def parse_timestamp(value: Any) -> datetime | None:
    """ISO 8601 (naive means UTC) or Unix seconds; None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"unreadable timestamp {value!r}")
    if isinstance(value, int | float) or UNIX_SECONDS.fullmatch(str(value)):
        return _from_unix_seconds(value)
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace(" UTC", "").replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"unreadable timestamp {_shorten(text, 40)!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _from_unix_seconds(value: int | float | str) -> datetime:
    """Checked against datetime's range first: past it, the platform's C time functions raise
    OSError or OverflowError instead of ValueError."""
    try:
        seconds = float(value)
    except OverflowError:  # an integer of hundreds of digits
        seconds = math.inf
    if math.isnan(seconds):
        raise ValueError(f"unreadable timestamp {value!r}")
    if not FIRST_SECOND <= seconds < LAST_SECOND:
        shown = _shorten(str(value).strip(), 40)
        raise ValueError(f"timestamp out of range (years 1 to 9999): {shown}")
    return datetime.fromtimestamp(seconds, UTC)


def _coordinates(record: dict[str, Any], columns: Columns) -> tuple[float | None, float | None]:
    if not columns.lat or not columns.lon:
        return None, None
    raw_lat, raw_lon = record.get(columns.lat), record.get(columns.lon)
    if _blank(raw_lat) and _blank(raw_lon):
        return None, None
    try:
        lat, lon = float(raw_lat), float(raw_lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"unreadable coordinates {raw_lat!r}, {raw_lon!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    return lat, lon


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
