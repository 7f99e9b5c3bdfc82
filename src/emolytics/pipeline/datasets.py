"""Datasets: import texts all-or-nothing, tag them with keywords, find and delete them."""

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from emolytics.extensions import db
from emolytics.models import Dataset, Job, JobKind, TextKeyword, TextRow
from emolytics.pipeline import ingest
from emolytics.pipeline.ingest import BadRow, Columns, IngestError, ParsedText
from emolytics.pipeline.purge import hold
from emolytics.pipeline.quotas import within_quota
from emolytics.wording import plural

if TYPE_CHECKING:
    import psycopg

BATCH = 10_000  # texts written per round trip
TEXT_ID_BLOCK = 10_000  # PostgreSQL: text ids drawn per round trip during an upload
TAG_SPOOL_BYTES = 8 * 1024 * 1024  # keyword tags held in memory during an upload; then on disk
TAG_CHUNK_BYTES = 128 * 1024  # keyword tags sent per COPY message
TEXT_COLUMNS = ("id", "dataset_id", "line", "text", "posted_at", "author", "lat", "lon")
# Their PostgreSQL types, for binary COPY: the server converts nothing, so they must match.
TEXT_TYPES = ("int8", "int4", "int4", "text", "timestamptz", "varchar", "float8", "float8")
TAG_COLUMNS = ("dataset_id", "keyword", "text_id")
# PostgreSQL: the sequence is looked up once, not per id; one array is cheaper to fetch than
# thousands of rows.
_NEXT_TEXT_IDS = text("""
    SELECT array_agg(id ORDER BY id) FROM (
        SELECT nextval((SELECT pg_get_serial_sequence('texts', 'id')::regclass)) AS id
        FROM generate_series(1, :count)
    ) AS new_ids
""")
MAX_KEYWORDS = 50
MAX_KEYWORD_CHARS = 80
# What a live-feed item (API) may carry besides its text.
FEED_COLUMNS = Columns(text="text", posted_at="posted_at", author="author", lat="lat", lon="lon")
SKIPPED_LISTED = 100  # bad rows kept for display; all of them are counted
BAD_ROWS_SHOWN = 10  # in the message when an upload is refused


class DatasetNotFound(LookupError):
    """No such dataset for this owner (another user's datasets do not exist for them)."""


class UploadRefused(IngestError):
    """Some rows cannot be read and the user did not ask to skip them."""

    def __init__(self, bad_rows: list[BadRow], total_bad: int) -> None:
        shown = "; ".join(f"line {row.line}: {row.reason}" for row in bad_rows[:BAD_ROWS_SHOWN])
        more = f" (and {total_bad - BAD_ROWS_SHOWN} more)" if total_bad > BAD_ROWS_SHOWN else ""
        super().__init__(
            f"{plural(total_bad, 'row')} cannot be read: {shown}{more}. "
            "Fix them, or choose to skip unreadable rows."
        )
        self.bad_rows = bad_rows
        self.total_bad = total_bad


@dataclass(frozen=True)
class Upload:
    """An import request: where the texts come from and how to read them."""

    name: str
    source: str  # upload | api | sample
    columns: Columns | None = None  # None: guessed from the column names
    keywords: Sequence[str] = ()
    skip_bad_rows: bool = False


def clean_keywords(keywords: Iterable[str]) -> list[str]:
    """Lower-cased, unique, trimmed keywords (a leading # is dropped); ValueError if too many."""
    cleaned: list[str] = []
    for keyword in keywords:
        word = " ".join(keyword.strip().lstrip("#").lower().split())
        if word and word not in cleaned:
            if len(word) > MAX_KEYWORD_CHARS:
                raise ValueError(f"Keywords are at most {MAX_KEYWORD_CHARS} characters.")
            cleaned.append(word)
    if len(cleaned) > MAX_KEYWORDS:
        raise ValueError(f"Track at most {MAX_KEYWORDS} keywords per dataset.")
    return cleaned


def parse_keywords(field: str) -> list[str]:
    """Keywords typed as one comma- or newline-separated field."""
    return clean_keywords(re.split(r"[,\n]", field or ""))


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case; `#battery` matches `battery`."""
    if not keywords:
        return None
    phrases = sorted(keywords, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)
    return re.compile(rf"(?<![\w#])#?({alternatives})(?!\w)", re.IGNORECASE)


def keywords_in(text: str, pattern: re.Pattern[str] | None) -> set[str]:
    if pattern is None:
        return set()
    return {" ".join(match.lower().split()) for match in pattern.findall(text)}


# --- importing ----------------------------------------------------------------------------------


def import_file(
    owner_id: int,
    upload: Upload,
    binary: IO[bytes],
    filename: str | None,
    before_commit: Callable[[Dataset], None] | None = None,
) -> Dataset:
    """Read a file into a new dataset, all or nothing.

    Raises IngestError (the file cannot be used, or has unreadable rows and `skip_bad_rows` is
    off) or QuotaExceeded; nothing is stored then. `before_commit` adds to the transaction
    what must exist exactly when the dataset does (its analysis job).
    """
    rows = ingest.read_texts(binary, filename, upload.columns)
    columns = upload.columns or ingest.preview(binary, filename).guesses
    return import_rows(owner_id, upload, columns, rows, before_commit)


def import_rows(
    owner_id: int,
    upload: Upload,
    columns: Columns,
    rows: Iterable[ParsedText | BadRow],
    before_commit: Callable[[Dataset], None] | None = None,
) -> Dataset:
    """Store `rows` as a new dataset in one transaction (see `import_file`)."""
    keywords = clean_keywords(upload.keywords)
    dataset = Dataset(
        owner_id=owner_id,
        name=upload.name,
        source=upload.source,
        keywords=keywords,
        column_map=columns.as_dict(),
    )
    try:
        db.session.add(dataset)
        db.session.flush()
        stored, bad_rows, bad_count = _store_texts(dataset, within_quota(owner_id, rows))
        if bad_count and not upload.skip_bad_rows:
            raise UploadRefused(bad_rows, bad_count)
        if stored == 0:
            raise IngestError("The file holds no texts.")
        dataset.row_count = stored
        dataset.skipped_count = bad_count
        dataset.skipped_rows = [[row.line, row.reason] for row in bad_rows]
        if before_commit is not None:
            before_commit(dataset)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    refresh_statistics("texts", "text_keywords")
    return dataset


def create_feed(
    owner_id: int,
    name: str,
    keywords: Sequence[str] = (),
    before_commit: Callable[[], None] | None = None,
) -> Dataset:
    """An empty dataset that the API's live feed fills (`append_texts`)."""
    dataset = Dataset(
        owner_id=owner_id,
        name=name,
        source="api",
        keywords=clean_keywords(keywords),
        column_map=FEED_COLUMNS.as_dict(),
    )
    db.session.add(dataset)
    if before_commit is not None:
        before_commit()
    db.session.commit()
    return dataset


def refresh_statistics(*tables: str) -> None:
    """PostgreSQL: let the planner see freshly written rows now. Without statistics it plans
    for one row and picks nested loops that take minutes at a million rows; autovacuum may be
    off, or get there late."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {', '.join(tables)}"))
        db.session.commit()


def append_texts(
    dataset: Dataset,
    rows: Sequence[ParsedText],
    before_commit: Callable[[], None] | None = None,
) -> list[int]:
    """Add texts to an existing dataset (the API's live feed) in one transaction; their ids.
    `before_commit` adds to the transaction what must exist exactly when the texts do.

    The row count is raised in SQL first: that holds the dataset's row until the commit (the
    texts have no foreign key), and on PostgreSQL makes concurrent pushes to one dataset take
    turns, so their line numbers never collide.
    """
    try:
        row_count = db.session.execute(
            update(Dataset)
            .where(Dataset.id == dataset.id)
            .values(row_count=Dataset.row_count + len(rows))
            .returning(Dataset.row_count)
        ).scalar_one_or_none()
        if row_count is None:  # deleted since it was looked up
            raise DatasetNotFound(dataset.id)
        first_line = row_count - len(rows) + 1
        pattern = keyword_pattern(dataset.keywords)
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            batch = list(rows[start : start + BATCH])
            ids += _insert_batch(dataset.id, batch, pattern, first_line + start)
        if before_commit is not None:
            before_commit()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.expire(dataset, ["row_count"])
    return ids


def _store_texts(
    dataset: Dataset, rows: Iterable[ParsedText | BadRow]
) -> tuple[int, list[BadRow], int]:
    """Insert the good rows; (stored, first bad rows, bad count).

    PostgreSQL streams them through one COPY (`_copy_texts`); elsewhere they go in batches.
    """
    pattern = keyword_pattern(dataset.keywords)
    bad = _BadRows()
    good = bad.passed(rows)
    if db.engine.dialect.name == "postgresql":
        stored = _copy_texts(dataset.id, good, pattern)
    else:
        stored = 0
        for batch in _batches(good):
            _insert_batch(dataset.id, batch, pattern)
            stored += len(batch)
    return stored, bad.listed, bad.count


class _BadRows:
    """The unreadable rows of an upload: all counted, the first SKIPPED_LISTED kept."""

    def __init__(self) -> None:
        self.count = 0
        self.listed: list[BadRow] = []

    def passed(self, rows: Iterable[ParsedText | BadRow]) -> Iterator[ParsedText]:
        """The good rows; the bad ones are noted on the way."""
        for row in rows:
            if isinstance(row, BadRow):
                self.count += 1
                if len(self.listed) < SKIPPED_LISTED:
                    self.listed.append(row)
            else:
                yield row


def _batches(rows: Iterable[ParsedText]) -> Iterator[list[ParsedText]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _copy_texts(
    dataset_id: int, rows: Iterable[ParsedText], pattern: re.Pattern[str] | None
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
                copy.write_row(_text_values(text_id, dataset_id, row.line, row))
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


def _insert_batch(
    dataset_id: int,
    rows: list[ParsedText],
    pattern: re.Pattern[str] | None,
    first_line: int | None = None,
) -> list[int]:
    """Insert texts and their keyword tags; their ids, in order.

    Lines come from the file, or count on from `first_line` (texts pushed through the API).
    The caller's transaction must already have written (see `_new_text_ids`).
    """
    ids = _new_text_ids(len(rows))
    texts = [
        _text_values(
            text_id, dataset_id, row.line if first_line is None else first_line + index, row
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


def _text_values(text_id: int, dataset_id: int, line: int, row: ParsedText) -> tuple[Any, ...]:
    """A text's row in TEXT_COLUMNS order."""
    return (text_id, dataset_id, line, row.text, row.posted_at, row.author, row.lat, row.lon)


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


# --- keywords after upload --------------------------------------------------------------------


def text_chunks(
    dataset_id: int, after: int, size: int, until: int | None = None
) -> Iterator[list[Any]]:
    """(id, text) rows of a dataset with ids in (after, until], in id order, `size` at a time.

    Keyset paging: each chunk starts after the last one yielded, so callers may commit (or be
    restarted from their last committed id) between chunks.
    """
    while True:
        rows = db.session.execute(chunk_statement(dataset_id, after, size, until)).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


def chunk_statement(dataset_id: int, after: int, size: int, until: int | None = None) -> Select:
    """The next chunk of `text_chunks`, read in primary key order."""
    # SQLite, without statistics, would take the dataset's rows from its posted_at index and
    # sort them all for every chunk (300,000 texts: 10 s instead of 0.2); `+ 0` leaves it the
    # primary key's order to walk.
    dataset = TextRow.dataset_id + 0 if db.engine.dialect.name == "sqlite" else TextRow.dataset_id
    statement = select(TextRow.id, TextRow.text).where(dataset == dataset_id, TextRow.id > after)
    if until is not None:
        statement = statement.where(TextRow.id <= until)
    return statement.order_by(TextRow.id).limit(size)


def retag(dataset: Dataset, on_progress: Callable[[int], None] | None = None) -> None:
    """Tag every text of `dataset` again with its current keywords (one transaction)."""
    hold(Dataset, dataset.id)  # the tags have no foreign key
    pattern = keyword_pattern(dataset.keywords)
    db.session.execute(delete(TextKeyword).where(TextKeyword.dataset_id == dataset.id))
    done = 0
    chunks = text_chunks(dataset.id, 0, BATCH) if pattern is not None else iter(())
    for chunk in chunks:
        tags = [
            {"dataset_id": dataset.id, "keyword": keyword, "text_id": text_id}
            for text_id, text in chunk
            for keyword in keywords_in(text, pattern)
        ]
        if tags:
            db.session.execute(insert(TextKeyword), tags)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done)
    db.session.commit()


# --- finding and deleting ---------------------------------------------------------------------


def owned(owner_id: int, dataset_id: int) -> Dataset:
    dataset = db.session.scalar(
        select(Dataset).where(Dataset.id == dataset_id, Dataset.owner_id == owner_id)
    )
    if dataset is None:
        raise DatasetNotFound(dataset_id)
    return dataset


def list_for(owner_id: int) -> list[Dataset]:
    return list(
        db.session.scalars(
            select(Dataset).where(Dataset.owner_id == owner_id).order_by(Dataset.id.desc())
        )
    )


_LATEST_ANALYSIS = (
    select(func.max(Job.id))
    .where(Job.dataset_id == Dataset.id, Job.kind == JobKind.ANALYSIS)
    .correlate(Dataset)
    .scalar_subquery()
)
# Built once: the home page runs it on every visit.
_OVERVIEW = (
    select(
        Dataset.id,
        Dataset.name,
        Dataset.row_count,
        Dataset.keywords,
        Dataset.created_at,
        Job.status.label("job_status"),
        Job.done.label("job_done"),
        Job.total.label("job_total"),
    )
    .outerjoin(Job, Job.id == _LATEST_ANALYSIS)
    .where(Dataset.owner_id == bindparam("owner_id"))
    .order_by(Dataset.id.desc())
)


def overview(owner_id: int) -> list[Any]:
    """The owner's datasets with their latest analysis's progress, in one query."""
    return list(db.session.execute(_OVERVIEW, {"owner_id": owner_id}))
