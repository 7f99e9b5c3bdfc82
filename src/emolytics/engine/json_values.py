"""The values of a JSON file, streamed: the items of one top-level array (what most tools export
as `.json`), or one value per line (JSON Lines). Which one is decided by the file's first
character that is not blank: `[` opens an array.

An array is read a chunk at a time, so memory stays flat whatever the file's size; an item
that cannot be read breaks the array from there on, so it raises `ArrayError` with its line,
where a bad JSON Lines line is only that line's problem (`JsonValue.error`).
"""

import io
import json
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO, Any, NamedTuple

from emolytics.engine.decoding import load_json_line

CHUNK = 64 * 1024  # characters read at a time
MAX_ITEM = 1024 * 1024  # characters an array item may span (a text is at most 20,000)
_BLANK = " \t\r\n\ufeff"
_DECODER = json.JSONDecoder()


class ArrayError(ValueError):
    """The array cannot be read on from `line`: the file as a whole is unreadable."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line


class JsonValue(NamedTuple):  # a tuple: one is made per line of a file of any size
    line: int  # the line the value starts on
    raw: str  # its JSON text
    value: Any = None
    error: str | None = None  # JSON Lines only: why the line is not JSON


def json_values(stream: IO[str]) -> Iterator[JsonValue]:
    """Every value of the array, or of each non-blank line, in file order."""
    head = stream.read(CHUNK)
    while head and not head.strip(_BLANK) and (more := stream.read(CHUNK)):
        head += more
    if head.lstrip(_BLANK).startswith("["):
        return _Array(stream, head).items()
    if head and not head.endswith("\n"):
        head += stream.readline()  # the head's last line, whole
    return _lines(chain(io.StringIO(head, newline=""), stream))


def _lines(lines: Iterable[str]) -> Iterator[JsonValue]:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield JsonValue(number, raw, load_json_line(raw))
        except json.JSONDecodeError as error:
            yield JsonValue(number, raw, error=error.msg)


class _Array:
    """A top-level array read from `buffer` (its start) and the rest of `stream`."""

    def __init__(self, stream: IO[str], buffer: str) -> None:
        self.stream = stream
        self.buffer = buffer
        self.position = 0  # where reading goes on in `buffer`
        self.line = 1  # the line of buffer[counted]
        self.counted = 0
        self.ended = False

    def items(self) -> Iterator[JsonValue]:
        start = self._next(self._next(0) + 1)  # past the "["
        if self.buffer[start] == "]":
            self.position = start + 1
            return self._finish()
        while True:
            value, end = self._value(start)
            yield JsonValue(self._line_at(start), self.buffer[start:end], value)
            separator = self._next(end)
            self.position = separator + 1
            if self.buffer[separator] == "]":
                return self._finish()
            if self.buffer[separator] != ",":
                raise ArrayError(self._line_at(separator), "expected , or ] after an item.")
            self._drop_read()
            start = self._next(self.position)

    def _value(self, start: int) -> tuple[Any, int]:
        """The value starting at `start`, reading more of the file until it is whole."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, start)
            except json.JSONDecodeError as error:
                if len(self.buffer) - start < MAX_ITEM and self._read_more():
                    continue
                problem = error.msg.removesuffix(" at").removesuffix(" starting")
                reason = f"not valid JSON ({problem}); is the file cut short?"
                if len(self.buffer) - start >= MAX_ITEM:
                    reason = f"an item longer than {MAX_ITEM:,} characters, or {reason}"
                raise ArrayError(self._line_at(max(error.pos, start)), reason) from None
            except RecursionError:
                raise ArrayError(self._line_at(start), "nested too deeply.") from None
            if end == len(self.buffer) and self._read_more():  # a number may go on
                continue
            return value, end

    def _next(self, index: int) -> int:
        """The index of the first character from `index` on that is not blank, reading more as
        needed."""
        while True:
            while index < len(self.buffer) and self.buffer[index] in _BLANK:
                index += 1
            if index < len(self.buffer):
                return index
            if not self._read_more():
                raise ArrayError(
                    self._line_at(index), "the array is not closed with ]; is the file cut short?"
                )

    def _finish(self) -> None:
        """Only blanks may follow the array."""
        while True:
            rest = self.buffer[self.position :].strip(_BLANK)
            if rest:
                index = self.buffer.index(rest[0], self.position)
                raise ArrayError(self._line_at(index), "more after the end of the array.")
            self.position = len(self.buffer)
            if not self._read_more():
                return

    def _read_more(self) -> bool:
        chunk = "" if self.ended else self.stream.read(CHUNK)
        self.ended = not chunk
        self.buffer += chunk
        return bool(chunk)

    def _line_at(self, index: int) -> int:
        """The line of buffer[index]; asked of ever later indexes."""
        self.line += self.buffer.count("\n", self.counted, index)
        self.counted = index
        return self.line

    def _drop_read(self) -> None:
        """Forget the part of the buffer read, once it is a chunk long."""
        if self.position >= CHUNK:
            self._line_at(self.position)
            self.buffer = self.buffer[self.position :]
            self.position = self.counted = 0
