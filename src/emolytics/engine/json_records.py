"""A JSON file's records, read the one way the upload and its preview (`pipeline/formats`) and
`emolytics analyze` (`readers`) read them: the values of its array, of an object's array of
records, or of its lines (`json_values`). An object's nested objects become columns of dotted
names (`flattening`); a string is a record of its text alone; any other value is refused with
the reason, as is a \\u escape of half a character.

A record is known by a number (`numbered_by` says what it counts): its place in an array of
records, else the line it starts on. ArrayError when the array cannot be read on."""

import io
import json
from collections.abc import Iterator
from typing import IO, Any

from emolytics.engine.flattening import flattened
from emolytics.engine.json_values import BLANK, ArrayError, JsonValue, json_values

TEXT = "text"  # the column of a record that is a string alone
LONE_SURROGATE = "a \\u escape names half of a character (an unpaired surrogate)"
LINE, RECORD = "line", "record"  # what a file's numbers count (see `numbered_by`)

Record = tuple[int, dict[str, Any] | str]  # a value's number, and its record or the reason


def opens_as_json(head: bytes) -> bool:
    """Whether a file starting with `head` opens as JSON does ({ or [, after a byte order mark
    and blanks): how a file whose name does not tell is known for JSON."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def json_records(stream: IO[str], lines: bool) -> Iterator[Record]:
    """The records of a JSON array or of JSON Lines (`json_values` tells them apart; `lines`:
    the file is named as JSON Lines)."""
    for found in json_values(stream, lines=lines):
        yield found.item or found.line, _record(found)


def numbered_by(head: str, lines: bool) -> str:
    """What the numbers of `json_records` count in a file that starts with `head` (its complete
    first lines): RECORD, the records' places in an array of records (those of a compact array
    share a line), or LINE, the lines values start on (JSON Lines, values one after the other).
    An object whose array of records starts past `head` (rare: its first 64 KB are other
    members) is taken for values, though its records are numbered by their places."""
    values = json_values(io.StringIO(head, newline=""), lines=lines)
    try:
        first = next(values, None)
    except ArrayError:  # an item cut by the head's end, or no array of records in it
        return RECORD if head.lstrip(BLANK).startswith("[") else LINE
    return RECORD if first is not None and first.item else LINE


def has_lone_surrogate(raw: str, value: Any) -> bool:
    """Whether JSON text `raw`, parsed into `value`, escapes half a UTF-16 pair (`\\ud800`):
    Python accepts it, but it is no character: no database stores it, and the language
    detector fails on it."""
    if "\\ud" not in raw and "\\uD" not in raw:
        return False  # the quick answer for nearly every line
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _record(found: JsonValue) -> dict[str, Any] | str:
    if found.error:
        return f"not valid JSON ({found.error.removesuffix(' at')})"
    record = found.value
    if isinstance(record, str):
        record = {TEXT: record}
    if not isinstance(record, dict):
        return "not a JSON object"
    if has_lone_surrogate(found.raw, record):
        return LONE_SURROGATE
    return flattened(record)
