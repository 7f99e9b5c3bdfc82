"""Reading uploaded texts: what a reading produces, the file's encoding, and one record.

A record that cannot be used becomes a `BadRow` with its line number; a problem with the file
as a whole raises `IngestError`. Encodings are as `engine.decoding` detects them (UTF-8,
UTF-16, else Windows-1252 or Latin-1, never those for broken UTF-8); a workbook has none
(`WORKBOOK`). Formats are read in `formats`, times in `timestamps`, the start of a file shown
in `preview`, a whole file read in `reading`.
"""

import codecs
import json
import re
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import IO, Any

from emolytics.engine import decoding, places, spreadsheets
from emolytics.engine.decoding import HEAD_BYTES
from emolytics.engine.errors import InputFormatError
from emolytics.engine.places import MAX_PLACE_CHARS
from emolytics.engine.readers import text_value
from emolytics.pipeline.timestamps import parse_timestamp

DECIMAL_COMMA = re.compile(r"\s*[-+]?\d+,\d+\s*")
WORKBOOK = "xlsx"  # the format, and in place of an encoding, of .xlsx and .xlsm files
MAX_TEXT_CHARS = 20_000
MAX_AUTHOR_CHARS = 200
MAX_SEGMENT_CHARS = 200


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
    segment: str | None = None  # a category to break the texts down by (never guessed)
    place: str | None = None  # a place's name ("Lisbon", "Austin, TX"), where no lat and lon
    country: str | None = None  # the place's country or US state, or the place when alone

    def as_dict(self) -> dict[str, str | None]:
        return {item.name: getattr(self, item.name) for item in fields(self)}

    def but(self, named: "Columns | None") -> "Columns":
        """These columns, but those `named` (where set) instead."""
        chosen = named.as_dict() if named else {}
        return replace(self, **{role: column for role, column in chosen.items() if column})


@dataclass(slots=True)  # slots, not frozen: a million are made per large upload, each set once
class ParsedText:
    line: int
    text: str
    posted_at: datetime | None = None
    author: str | None = None
    lat: float | None = None
    lon: float | None = None
    segment: str | None = None
    unplaced: str | None = None  # the name in the place column when it names no known place


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


# --- encoding -------------------------------------------------------------------------------


def detect_encoding(head: bytes) -> str:
    """The encoding of a file that starts with `head` (see `engine.decoding`)."""
    try:
        return decoding.detect_encoding(head)
    except InputFormatError as error:
        raise IngestError(str(error)) from error


def file_encoding(binary: IO[bytes]) -> str:
    """The codec `reading.read_texts` reads the file with, WORKBOOK for a workbook (IngestError
    when it cannot read it)."""
    binary.seek(0)
    head = read_head(binary)
    return WORKBOOK if spreadsheets.is_workbook(head) else detect_encoding(head)


def decoded_head(head: bytes, encoding: str) -> str:
    """The complete lines at the start of the file (the last one may be cut by the head)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head, final=len(head) < HEAD_BYTES)
    if len(head) >= HEAD_BYTES and "\n" in text:
        text = text[: text.rfind("\n") + 1]
    return text


def read_head(binary: IO[bytes]) -> bytes:
    head = binary.read(HEAD_BYTES)
    binary.seek(0)
    return head


# --- one record -------------------------------------------------------------------------------


def contains_nul(value: str) -> bool:
    """Whether `value` holds a NUL character, which no text column stores (PostgreSQL refuses
    it): every check of user input for NUL asks this."""
    return "\x00" in value


def text_problem(text: Any) -> str | None:
    """Why `text` cannot be analysed or stored, or None when it can."""
    if not isinstance(text, str):
        return _not_a_string(text)
    return _stripped_text_problem(text.strip())


def _not_a_string(text: Any) -> str:
    return "no text" if text is None else "the text is not a string"


def _stripped_text_problem(text: str) -> str | None:
    """`text_problem` of a text already stripped (each row of an upload: stripped once)."""
    if not text:
        return "no text"
    if len(text) > MAX_TEXT_CHARS:
        return f"the text is longer than {MAX_TEXT_CHARS:,} characters"
    if contains_nul(text):
        return "the text contains a NUL character"
    return None


def parse_record(
    line: int, record: dict[str, Any], columns: Columns, day_first: bool | None = None
) -> ParsedText | BadRow:
    """`day_first`: the order of the file's numeric dates (`timestamps.date_order`)."""
    text = record.get(columns.text or "text")
    if type(text) is not str:  # (a CSV cell always is: the quick answer)
        text = text_value(text)  # a number reads as its text
        if not isinstance(text, str):  # missing, or a JSON list, object, ...
            return BadRow(line, _not_a_string(text))
    text = text.strip()
    if problem := _stripped_text_problem(text):
        return BadRow(line, problem)
    try:
        posted_at = (
            parse_timestamp(record.get(columns.posted_at), day_first) if columns.posted_at else None
        )
        lat, lon = _coordinates(record, columns)
    except (ValueError, OverflowError) as error:  # a date past year 9999 overflows
        return BadRow(line, str(error))
    author = _short(record.get(columns.author), MAX_AUTHOR_CHARS) if columns.author else None
    segment = segment_of(record.get(columns.segment)) if columns.segment else None
    if lat is None and (columns.place or columns.country):
        where = (record.get(columns.place or ""), record.get(columns.country or ""))
        lat, lon, unplaced = placed(*where)
        return ParsedText(line, text, posted_at, author, lat, lon, segment, unplaced)
    return ParsedText(line, text, posted_at, author, lat, lon, segment)


def placed(place: Any, country: Any = None) -> tuple[float | None, float | None, str | None]:
    """The latitude and longitude of the place `place` names, in `country` (a country or a US
    state, by name or code; either may be empty: `engine.places`), or the name ("Paris, US")
    when they name none that is known (None for empty cells)."""
    name, within = (_short(value, MAX_PLACE_CHARS) or "" for value in (place, country))
    if not name and not within:
        return None, None, None
    found = places.where(name, within)
    if found is None:
        return None, None, ", ".join(part for part in (name, within) if part)
    return found.lat, found.lon, None


def segment_of(value: Any) -> str | None:
    """A segment column's cell as a text keeps it (`_short`)."""
    return _short(value, MAX_SEGMENT_CHARS)


def _short(value: Any, limit: int) -> str | None:
    """A cell's text as an author or a segment keeps it: without NUL, trimmed, at most
    `limit` characters; None when empty."""
    return cell_text(value).replace("\x00", "").strip()[:limit] or None


def _coordinates(record: dict[str, Any], columns: Columns) -> tuple[float | None, float | None]:
    if not columns.lat or not columns.lon:
        return None, None
    raw_lat, raw_lon = record.get(columns.lat), record.get(columns.lon)
    no_lat, no_lon = _blank(raw_lat), _blank(raw_lon)
    if no_lat or no_lon:
        if no_lat and no_lon:
            return None, None
        given, missing = ("longitude", "latitude") if no_lat else ("latitude", "longitude")
        raise ValueError(f"a {given} without its {missing}")
    try:
        lat, lon = float(raw_lat), float(raw_lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        try:
            lat, lon = _decimal_comma(raw_lat), _decimal_comma(raw_lon)
        except (TypeError, ValueError):
            raise ValueError(f"unreadable coordinates {raw_lat!r}, {raw_lon!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    return lat, lon


def _decimal_comma(value: Any) -> float:
    """A coordinate read again with a decimal comma as its point, as a spreadsheet saves it in
    much of Europe ("48,21": no coordinate has a thousands separator)."""
    if isinstance(value, str) and DECIMAL_COMMA.fullmatch(value):
        value = value.replace(",", ".")
    return float(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A record's value as a table's cell: JSON for a list, an object or a boolean (a JSON file
    said it so), else its text; None is empty."""
    if type(value) is str:  # every CSV cell: the quick answer
        return value
    if value is None:
        return ""
    if isinstance(value, (list, dict, bool)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def shorten(value: Any, limit: int = 200) -> str:
    text = cell_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
