"""INPUT of `emolytics analyze`: a file or standard input, opened, told what it holds from its
first bytes and read as rows (a workbook's sheet, or a text file's in its encoding)."""

import io
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import chain
from pathlib import Path
from typing import IO, Any

import click

from emolytics.cli_errors import fail
from emolytics.engine import decoding, workbooks
from emolytics.engine.decoding import HEAD_BYTES
from emolytics.engine.errors import InputFormatError
from emolytics.engine.readers import InputFormat, InputRow, read_rows, workbook_rows

STDIN, STDIN_NAME = Path("-"), "standard input"  # INPUT "-", and how messages name it


def open_input(path: Path, stack: ExitStack) -> tuple[IO[bytes], bytes]:
    """INPUT, and its first bytes (what it is, and its encoding, are told by them)."""
    if path == STDIN:
        stream = sys.stdin.buffer
        head = stream.read(HEAD_BYTES)
        return io.BufferedReader(_PutBack(head, stream)), head
    try:
        binary = stack.enter_context(path.open("rb"))
        head = binary.read(HEAD_BYTES)
        binary.seek(0)
    except OSError as error:
        raise fail(InputFormatError(f"cannot read {path}: {error.strerror}")) from error
    return binary, head


def input_rows(
    binary: IO[bytes],
    head: bytes,
    kind: InputFormat,
    column: str,
    sheet: str | None,
    path: Path | str,
    numbered: str,
) -> Iterator[InputRow]:
    """INPUT's rows: a workbook's sheet's (`sheet`: None, the first with a filled cell), or a
    text file's in its encoding, checked as the web upload checks a file (not binary, not
    broken UTF-8); a byte that breaks the encoding later stops the run (see `_decoded`, which
    names the row after which it broke by what `numbered` says its numbers count). A
    workbook on standard input is read whole first: its archive is read from its end."""
    if kind is InputFormat.XLSX:
        return workbook_rows(_sheet(binary, sheet, path), column)
    try:
        encoding = decoding.detect_encoding(head)
    except InputFormatError as error:
        raise fail(error, source=path) from error
    rows = read_rows(decoding.text_stream(binary, encoding), kind, column)
    return _decoded(rows, binary, encoding, numbered)


def _sheet(binary: IO[bytes], name: str | None, path: Path | str) -> workbooks.Sheet:
    """The workbook's sheet `name`; the sheet read is said on stderr when the workbook has
    several and none was named."""
    try:
        sheet = workbooks.open_sheet(
            binary if binary.seekable() else io.BytesIO(binary.read()), name
        )
    except InputFormatError as error:
        raise fail(error, source=path) from error
    if name is None and len(sheet.names) > 1:
        place = f"{sheet.names.index(sheet.name) + 1} of {len(sheet.names)}"
        click.echo(f"Reading sheet {sheet.name!r} ({place}); --sheet reads another.", err=True)
    return sheet


def started(rows: Iterator[InputRow], path: Path | str) -> Iterator[InputRow]:
    """`rows`, their first already read: INPUT that cannot be read at all (no such column) fails
    before a line of output, not after the results' header."""
    try:
        first = next(rows, None)
    except InputFormatError as error:
        raise fail(error, source=path) from error
    return rows if first is None else chain([first], rows)


def _decoded(
    rows: Iterator[InputRow], binary: IO[bytes], encoding: str, numbered: str
) -> Iterator[InputRow]:
    """`rows` until a byte the encoding cannot decode: then one error saying where."""
    line = 0
    try:
        for row in rows:
            line = row.line
            yield row
    except UnicodeDecodeError as error:
        message = decoding.undecodable(binary, encoding, line, numbered)
        raise fail(InputFormatError(message)) from error


class _PutBack(io.RawIOBase):
    """Standard input with its first bytes, read to tell what it holds, put back before it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._head:
            data = self._rest.read1(len(buffer))  # a pipe: what it holds now, up to the size
            buffer[: len(data)] = data
            return len(data)
        count = min(len(buffer), len(self._head))
        buffer[:count] = self._head[:count]
        self._head = self._head[count:]
        return count
