"""Writing many texts and their keyword tags fast, in the session's transaction.

PostgreSQL: COPY (several times faster than INSERT), with text ids drawn from the table's
sequence in blocks; elsewhere one executemany per batch.
"""

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

from emolytics.extensions import db
from emolytics.pipeline.ingest import ParsedText
from emolytics.pipeline.keywords import KeywordPattern, keywords_in
from emolytics.tables import TextKeyword, TextRow

if TYPE_CHECKING:
    import psycopg

BATCH = 10_000  # texts written per round trip
TEXT_ID_BLOCK = 10_000  # PostgreSQL: text ids drawn per round trip during an upload
TAG_SPOOL_BYTES = 8 * 1024 * 1024  # keyword tags held in memory during an upload; then on disk
TAG_CHUNK_BYTES = 128 * 1024  # keyword tags sent per COPY message
TEXT_COLUMNS = ("id", "dataset_id", "line", "text", "posted_at", "author", "lat", "lon")
TEXT_COLUMNS += ("segment", "file_id")
# Their PostgreSQL types, for binary COPY: the server converts nothing, so they must match.
TEXT_TYPES = ("int8", "int4", "int4", "text", "timestamptz", "varchar", "float8", "float8")
TEXT_TYPES += ("varchar", "int4")
TAG_COLUMNS = ("dataset_id", "keyword", "text_id")
# PostgreSQL: the sequence is looked up once, not per id; one array is cheaper to fetch than
# thousands of rows.
_NEXT_TEXT_IDS = text("""
    SELECT array_agg(id ORDER BY id) FROM (
        SELECT nextval((SELECT pg_get_serial_sequence('texts', 'id')::regclass)) AS id
        FROM generate_series(1, :count)
    ) AS new_ids
""")


def store_texts(
    dataset_id: int,
    rows: Iterable[ParsedText],
    pattern: KeywordPattern | None,
    file_id: int | None = None,
) -> int:
    """Insert the texts (of the file `file_id`) and their tags; how many texts.

    PostgreSQL streams them through one COPY (`_copy_texts`); elsewhere they go in batches.
    """
    if db.engine.dialect.name == "postgresql":
        return _copy_texts(dataset_id, rows, pattern, file_id)
    stored = 0
    for batch in _batches(rows):
        insert_batch(dataset_id, batch, pattern, file_id=file_id)
        stored += len(batch)
    return stored


def _batches(rows: Iterable[ParsedText]) -> Iterator[list[ParsedText]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _copy_texts(
    dataset_id: int,
    rows: Iterable[ParsedText],
    pattern: KeywordPattern | None,
    file_id: int | None,
) -> int:
    """PostgreSQL: store texts and their keyword tags in the session's transaction; how many
    texts.

    The texts go through one COPY that stays open while the rows are parsed, so the server
    stores each row while Python reads the next ones: the upload takes about as long as the
    slower side instead of both added up. A connection runs one COPY at a time, so the tags
    wait in a spool and follow in a second COPY. The texts' COPY is binary: formatting a row
    costs Python a third of what the text format does, and the server no more.
    """
    connection = _driver_connection()
    text_copy = _copy_statement(TextRow.__table__, TEXT_COLUMNS) + " (FORMAT BINARY)"
    stored = 0
    with _TagSpool(dataset_id, connection.info.encoding) as tags, _text_ids() as ids:
        with connection.cursor() as cursor, cursor.copy(text_copy) as copy:
            copy.set_types(TEXT_TYPES)
            # rows first: zip stops at the last row without drawing another id
            for row, text_id in zip(rows, ids, strict=False):
                copy.write_row(_text_values(text_id, dataset_id, row.line, row, file_id))
                if keywords := keywords_in(row.text, pattern):
                    tags.add(text_id, keywords)
                stored += 1
        if tags:
            tag_copy = _copy_statement(TextKeyword.__table__, TAG_COLUMNS)
            with connection.cursor() as cursor, cursor.copy(tag_copy) as copy:
                for chunk in tags.chunks():
                    copy.write(chunk)
    return stored


@contextmanager
def _text_ids() -> Iterator[Iterator[int]]:
    """PostgreSQL: unused text ids, ascending, drawn TEXT_ID_BLOCK at a time.

    The first block comes from the session's connection, before the texts' COPY makes it
    busy; so an upload of up to a block's rows needs no second connection. Later blocks come
    from a second connection in autocommit: a sequence hands out each value once whatever
    becomes of the transactions, so ids drawn there are ours, and unused ones are merely
    skipped. Each block starts above the last one, so ids ascend in file order.
    """
    first_block = _draw_text_ids(db.session, TEXT_ID_BLOCK)
    with ExitStack() as closing:

        def later_blocks() -> Iterator[int]:
            side = closing.enter_context(db.engine.connect())
            side.execution_options(isolation_level="AUTOCOMMIT")
            while True:
                yield from _draw_text_ids(side, TEXT_ID_BLOCK)

        yield chain(first_block, later_blocks())


def _draw_text_ids(connection: Session | Connection, count: int) -> list[int]:
    """`count` ids from the texts' sequence, ascending, in one round trip (PostgreSQL)."""
    return connection.scalar(_NEXT_TEXT_IDS, {"count": count})


class _TagSpool:
    """Keyword tags waiting for the texts' COPY to end, already as COPY text-format lines.

    A line takes a fraction of the memory of a tuple of Python objects; past TAG_SPOOL_BYTES
    the lines move to a temporary file, so a large upload holds little of them in memory.
    """

    def __init__(self, dataset_id: int, encoding: str) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=TAG_SPOOL_BYTES)
        self._encoding = encoding
        self._prefix = f"{dataset_id}\t"
        self._fields: dict[str, str] = {}  # keyword: the keyword as a COPY field
        self._lines: list[str] = []

    def __enter__(self) -> "_TagSpool":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()

    def __bool__(self) -> bool:
        return bool(self._fields)  # a keyword field is made for its first tag

    def add(self, text_id: int, keywords: Iterable[str]) -> None:
        for keyword in keywords:
            field = self._fields.get(keyword)
            if field is None:
                field = self._fields[keyword] = _copy_field(keyword)
            self._lines.append(f"{self._prefix}{field}\t{text_id}\n")
        if len(self._lines) >= BATCH:
            self._flush()

    def chunks(self) -> Iterator[bytes]:
        """The lines in the connection's encoding, TAG_CHUNK_BYTES at a time (a chunk may end
        mid-line: COPY data need not be split at rows)."""
        self._flush()
        self._file.seek(0)
        while chunk := self._file.read(TAG_CHUNK_BYTES):
            yield chunk

    def _flush(self) -> None:
        self._file.write("".join(self._lines).encode(self._encoding))
        self._lines.clear()


def _copy_field(value: str) -> str:
    """`value` as a field of COPY's text format: backslash and the separators escaped."""
    return value.translate(_COPY_ESCAPES)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_batch(
    dataset_id: int,
    rows: list[ParsedText],
    pattern: KeywordPattern | None,
    first_line: int | None = None,
    file_id: int | None = None,
) -> list[int]:
    """Insert texts and their keyword tags; their ids, in order.

    Lines come from the file, or count on from `first_line` (texts pushed through the API).
    The caller's transaction must already have written (see `_new_text_ids`).
    """
    ids = _new_text_ids(len(rows))
    texts = [
        _text_values(
            text_id,
            dataset_id,
            row.line if first_line is None else first_line + index,
            row,
            file_id,
        )
        for index, (text_id, row) in enumerate(zip(ids, rows, strict=True))
    ]
    _write_rows(TextRow.__table__, TEXT_COLUMNS, texts)
    tags = [
        (dataset_id, keyword, text_id)
        for text_id, row in zip(ids, rows, strict=True)
        for keyword in keywords_in(row.text, pattern)
    ]
    if tags:
        _write_rows(TextKeyword.__table__, TAG_COLUMNS, tags)
    return ids


def _text_values(
    text_id: int, dataset_id: int, line: int, row: ParsedText, file_id: int | None
) -> tuple[Any, ...]:
    """A text's row in TEXT_COLUMNS order."""
    return (text_id, dataset_id, line, row.text, row.posted_at, row.author, row.lat, row.lon,
            row.segment, file_id)  # fmt: skip


def _new_text_ids(count: int) -> list[int]:
    """`count` unused text ids, ascending, in one round trip.

    PostgreSQL: drawn from the table's sequence, so concurrent imports never collide.
    SQLite: the next ids after the largest, as SQLite itself would choose; nobody else can
    take them before our commit because a transaction that has written holds the database's
    only write lock.
    """
    if db.engine.dialect.name == "postgresql":
        return _draw_text_ids(db.session, count)
    largest = db.session.scalar(select(func.max(TextRow.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


def _write_rows(table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` (values in `columns` order) in the session's transaction: COPY on
    PostgreSQL (several times faster than INSERT), one executemany elsewhere."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    with _driver_connection().cursor() as cursor:
        with cursor.copy(_copy_statement(table, columns)) as copy:
            for row in rows:
                copy.write_row(row)


def _driver_connection() -> "psycopg.Connection[Any]":
    """PostgreSQL: the psycopg connection under the session's transaction (for COPY)."""
    return db.session.connection().connection.driver_connection


def _copy_statement(table: Table, columns: tuple[str, ...]) -> str:
    return f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
