"""Turning a file's bytes into text: which encoding it uses, or why it is no text at all.

Shared by the web upload and `emolytics analyze`, so both accept and refuse the same files.
UTF-8 (with or without BOM), UTF-16 (with BOM, or recognised by its NUL pattern), else a
single-byte file: Windows-1252, what Excel and Notepad write on a Western Windows ("don’t",
“quotes”, €, … and dashes are bytes 0x80 to 0x9F there, which Latin-1 would read as invisible
control characters), or Latin-1 when the start holds one of the five bytes Windows-1252 leaves
undefined. Never a single-byte encoding for a file whose start holds valid multi-byte UTF-8:
that is a UTF-8 file with a broken byte, and reading it so would corrupt every accent and emoji.
A detector library (charset-normalizer) was not used: on the short files people upload it
guesses between code pages, where these rules always read the same bytes the same way.
"""

import codecs
import io
import json
import re
from typing import IO, Any

from emolytics.engine.errors import InputFormatError

HEAD_BYTES = 64 * 1024  # the start of a file that decides its encoding
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}
# The bytes Windows-1252 does not define (Python's codec refuses them; Latin-1 reads any byte).
_UNDEFINED_IN_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# A well-formed UTF-8 sequence of two to four bytes (RFC 3629): Latin-1 text almost never
# holds one by chance (it would take "Ã" followed by a symbol such as "©").
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def detect_encoding(head: bytes) -> str:
    """The codec of a file that starts with `head` (its first HEAD_BYTES).

    Raises InputFormatError for an empty or binary file, and for UTF-8 with an invalid byte.
    """
    if not head.strip():
        raise InputFormatError("The file is empty.")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) / 4 and even == 0:
            return "utf-16-le"
        if even > len(sample) / 4 and odd == 0:
            return "utf-16-be"
        raise InputFormatError(
            "This looks like a binary file: neither text (CSV, JSON, JSON Lines or plain "
            "text) nor an Excel workbook (.xlsx)."
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(head):
            line = head.count(b"\n", 0, error.start) + 1
            raise InputFormatError(_broken_utf8(line, error.start)) from error
        return "latin-1" if _UNDEFINED_IN_CP1252.search(head) else "cp1252"
    return "utf-8"


def _broken_utf8(line: int, offset: int) -> str:
    return (
        f"Line {line} (byte offset {offset}) is not valid UTF-8, though the file is UTF-8 text: "
        "fix that character, or save the file as UTF-8 again."
    )


def undecodable(binary: IO[bytes], encoding: str, after: int, numbered: str = "line") -> str:
    """The message for a byte that `encoding` cannot decode, met after row `after` (a number
    that counts what `numbered` names: a line, a JSON array's record) was read: UTF-8 (whose
    lines split on a newline byte) is read again from the start to name the bad byte's line and
    offset."""
    if encoding in ("utf-8", "utf-8-sig") and binary.seekable():
        binary.seek(0)
        offset = 0
        for line, raw in enumerate(binary, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return _broken_utf8(line, offset + error.start)
            offset += len(raw)
    return (
        f"After {numbered} {after}: the file is not valid {encoding_name(encoding)} text; "
        "save it as UTF-8 and try again."
    )


def encoding_name(encoding: str) -> str:
    """How to name a codec from `detect_encoding` to a user."""
    return ENCODING_NAMES.get(encoding, encoding)


def text_stream(binary: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """`binary` decoded strictly (a bad byte raises UnicodeDecodeError), newlines kept as they
    are (the csv module wants them), and `binary` left open when the stream is done."""
    buffered = io.BufferedReader(_NonClosing(binary), buffer_size=HEAD_BYTES)
    return io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline="")


class _NonClosing(io.RawIOBase):
    """Lets a TextIOWrapper read a file without closing it when done."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.binary.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def load_json_line(line: str) -> Any:
    """The JSON value on one line; JSONDecodeError when it is not JSON or is nested too deeply
    for the parser (a `[[[[…` line 100,000 deep would otherwise raise RecursionError)."""
    try:
        return json.loads(line)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", line, 0) from None
