"""The values of a JSON file, streamed: the items of one top-level array (what most tools export
as `.json`), the items of the first array of records in a top-level object (`{"data": [...],
"meta": ...}`, as many APIs answer), one value per line (JSON Lines), or values spread over
lines one after the other (as `jq` prints them).

Which one is decided by the file's start: `[` opens an array; `{` opens an object when its first
line is not JSON on its own (a document spread over lines), is the file's only value, or is
longer than a chunk (a compact document), else a line. A file that says it is JSON Lines (named
.jsonl) has lines: a first line that is JSON on its own is a record, even as the only one,
whatever arrays it holds. An object that breaks before its array begins is read as JSON Lines
after all (a first line that is merely bad).

An array is read a chunk at a time, so memory stays flat whatever the file's size; an item
that cannot be read breaks the array from there on, so it raises `ArrayError` with its line,
where a bad JSON Lines line is only that line's problem (`JsonValue.error`). An array's items
are numbered by their place in it (`JsonValue.item`): the records of a compact array, as most
programs write one, all start on line 1. `flattening` makes a record's nested objects columns.
"""

import io
import json
from collections.abc import Iterable, Iterator
from itertools import chain, count
from typing import IO, Any, NamedTuple

from emolytics.engine.decoding import load_json_line

CHUNK = 64 * 1024  # characters read at a time
MAX_ITEM = 1024 * 1024  # characters an array item may span (a text is at most 20,000)
BLANK = " \t\r\n\ufeff"
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
    item: int = 0  # its place in the array of records (1: the first); 0: not an array's


class JsonValues:
    """The values `json_values` reads, once, and where they are: `array` names the member of
    the file's object whose items they are (`data.children`), once the first is read."""

    def __init__(self, values: Iterator[JsonValue], document: "_Document | None" = None) -> None:
        self._values = values
        self._document = document

    def __iter__(self) -> Iterator[JsonValue]:
        return self._values  # a loop reads the values straight, not through `__next__`

    def __next__(self) -> JsonValue:
        return next(self._values)

    @property
    def array(self) -> str | None:
        """The dotted names of the members holding the array of records read (None: the file
        is not an object holding one, or reading has not found it yet)."""
        return None if self._document is None else self._document.array


def json_values(stream: IO[str], *, lines: bool = False) -> JsonValues:
    """The file's records, in file order: an array's items, an object's array of records, or
    each value of JSON Lines or of values one after the other (see above). `lines`: the file
    says it is JSON Lines."""
    head = stream.read(CHUNK)
    while head and not head.strip(BLANK) and (more := stream.read(CHUNK)):
        head += more
    start = head.lstrip(BLANK)[:1]
    if start == "[":
        return JsonValues(_Document(stream, head).array_items())
    if start == "{" and "\n" not in head.lstrip(BLANK) and not lines:  # a first line past a
        return _object_values(stream, head)  # chunk: a document, read in chunks
    if head and not head.endswith("\n"):
        head += stream.readline()  # the head's last line, whole
    first, _, rest = head.lstrip(BLANK).partition("\n")
    if start == "{" and not (lines and _is_json(first)):
        while not rest.strip(BLANK) and (more := stream.readline()):  # a second value?
            head, rest = head + more, rest + more
        if not rest.strip(BLANK) or not _is_json(first):
            return _object_values(stream, head)  # one value, or spread over lines
    return JsonValues(_lines(chain(io.StringIO(head, newline=""), stream)))


def _object_values(stream: IO[str], head: str) -> JsonValues:
    document = _Document(stream, head)
    return JsonValues(document.object_items(), document)


def _is_json(line: str) -> bool:
    try:
        load_json_line(line)
    except json.JSONDecodeError:
        return False
    return True


def _lines(lines: Iterable[str]) -> Iterator[JsonValue]:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield JsonValue(number, raw, load_json_line(raw))
        except json.JSONDecodeError as error:
            yield JsonValue(number, raw, error=error.msg)


class _Document:
    """A JSON document read from `buffer` (its start) and the rest of `stream`."""

    def __init__(self, stream: IO[str], buffer: str) -> None:
        self.stream = stream
        self.buffer = buffer
        self.position = 0  # where reading goes on in `buffer`
        self.line = 1  # the line of buffer[counted]
        self.counted = 0
        self.ended = False
        self.array: str | None = None  # the members holding the array of records (`_records`)

    def array_items(self) -> Iterator[JsonValue]:
        """The items of the top-level array; only blanks may follow it."""
        yield from self._items(self._next(0))
        self._finish()

    def object_items(self) -> Iterator[JsonValue]:
        """The items of the object's array of records (see `_records`; the members after it
        are not read). An object without one is a record itself, and the values after it
        records too; an object that breaks before its array is a bad line of JSON Lines."""
        try:
            found, opening = self._records(self._next(0))
        except ArrayError:
            yield from self._as_lines()
            return
        if found:
            yield from self._items(opening)
            return
        yield from self._values(self._next(0))

    def _values(self, start: int | None) -> Iterator[JsonValue]:
        """Values one after the other from `start`, whatever their lines (as `jq` prints them);
        one that cannot be read stops the file."""
        while start is not None:
            value, end = self._value(start)
            yield JsonValue(self._line_at(start), self.buffer[start:end], value)
            self.position = end
            self._drop_read()
            start = self._skip(self.position)

    def _as_lines(self) -> Iterator[JsonValue]:
        """The file read from its start as JSON Lines (nothing of the buffer was dropped)."""
        if not self.buffer.endswith("\n"):
            self.buffer += self.stream.readline()  # the buffer's last line, whole
        return _lines(chain(io.StringIO(self.buffer, newline=""), self.stream))

    def _records(self, opening: int, depth: int = 2, path: str = "") -> tuple[bool, int]:
        """In the object opened at `opening`: (True, the index of the `[` of its first member
        that is an array of records, named in `array` after the `path` to the object), looking
        into member objects `depth` levels down (Reddit's `{"data": {"children": [...]}}`), or
        (False, the index past its `}`).

        An array of records holds objects, or strings when no member before it is a string
        (else they are a record's tags). Nothing is dropped from the buffer before it, so the
        file can still be read from its start."""
        index = self._next(opening + 1)
        strings = True  # whether an array of strings may be the texts
        while self.buffer[index] != "}":
            if index > MAX_ITEM * 8:
                raise ArrayError(self._line_at(index), "no array in the first megabytes.")
            name, end = self._value(index)
            colon = self._next(end)
            if not isinstance(name, str) or self.buffer[colon] != ":":
                raise ArrayError(self._line_at(index), "expected a member's name and a colon.")
            value = self._next(colon + 1)
            kind = self.buffer[value]
            if kind == "[":
                first = self._next(value + 1)  # before indexing: it may extend the buffer
                item = self.buffer[first]
                if item in "{]" or (item == '"' and strings):
                    self.array = path + name
                    return True, value
            if kind == "{" and depth:
                found, end = self._records(value, depth - 1, f"{path}{name}.")
                if found:
                    return True, end
            else:
                end = self._value(value)[1]
            strings = strings and kind != '"'
            separator = self._next(end)
            if self.buffer[separator] not in ",}":
                raise ArrayError(self._line_at(separator), "expected , or } after a member.")
            index = self._next(separator + 1) if self.buffer[separator] == "," else separator
        return False, index + 1

    def _items(self, opening: int) -> Iterator[JsonValue]:
        """The items of the array opened at `opening`; `position` ends past its `]`."""
        start = self._next(opening + 1)
        if self.buffer[start] == "]":
            self.position = start + 1
            return
        for item in count(1):
            value, end = self._value(start)
            yield JsonValue(self._line_at(start), self.buffer[start:end], value, None, item)
            separator = self._next(end)
            self.position = separator + 1
            if self.buffer[separator] == "]":
                return
            if self.buffer[separator] != ",":
                raise ArrayError(self._line_at(separator), f"expected , or ] after record {item}.")
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
        found = self._skip(index)
        if found is None:
            raise ArrayError(
                self._line_at(len(self.buffer)),
                "the array is not closed with ]; is the file cut short?",
            )
        return found

    def _skip(self, index: int) -> int | None:
        """`_next`, or None when only blanks are left."""
        while True:
            while index < len(self.buffer) and self.buffer[index] in BLANK:
                index += 1
            if index < len(self.buffer):
                return index
            if not self._read_more():
                return None

    def _finish(self) -> None:
        """Only blanks may follow the array."""
        while True:
            rest = self.buffer[self.position :].strip(BLANK)
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
