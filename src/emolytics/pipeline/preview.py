"""The start of an upload as the page previews it: rows, columns, guessed roles and the rows
the import would refuse."""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, NamedTuple

from emolytics.engine.decoding import HEAD_BYTES, encoding_name
from emolytics.engine.workbooks import Sheet
from emolytics.pipeline import formats
from emolytics.pipeline.ingest import (
    BadRow,
    Columns,
    IngestError,
    ParsedText,
    parse_record,
    read_head,
    shorten,
)
from emolytics.pipeline.timestamps import ORDERS, AmbiguousDate, date_order, parse_timestamp

PREVIEW_ROWS = 8
WORKBOOK_HEAD_ROWS = 2_000  # a workbook's rows that decide its date order, like a text's 64 KB
TEXT_NAMES = (
    "text",
    "content",
    "body",
    "message",
    "tweet",
    "review",
    "comment",
    "post",
    "answer",
    "response",
    "feedback",
)
TIME_NAMES = (
    "created_at",
    "created_utc",  # Reddit's
    "timestamp",
    "posted_at",
    "date",
    "time",
    "datetime",
    "published",
)
# words of a time column's name that say when an answer was sent, or when it was begun
SENT_WORDS = frozenset({"end", "ended", "submit", "submitted", "recorded", "completed"})
START_WORDS = frozenset({"start", "started", "begin", "began"})
AUTHOR_NAMES = ("author", "user", "username", "screen_name", "user_name", "handle", "name")
LAT_NAMES = ("lat", "latitude")
LON_NAMES = ("lon", "lng", "long", "longitude")
PLACE_NAMES = ("place", "location", "user_location", "city", "town", "place_name")
PLACE_WORDS = ("location", "city", "town")  # "Store City", "Customer Location"
COUNTRY_NAMES = ("country", "country_name", "country_code", "nation")
STATE_NAMES = ("state", "province", "state_province", "region")  # a place's, beside it
TEXT_WORDS = 3  # the fewest words a value of a text column no name gives away has on average
PLAIN_NUMBER = re.compile(r"\s*[-+]?\d*\.?\d+\s*")  # 42, -3.5, 1792684200: no date


class Problem(NamedTuple):
    """A row the import would refuse: its number (`Preview.numbered`; 0: the file as a whole),
    why, and which of the rows shown it is (None: not shown: it cannot be read as a record)."""

    line: int
    reason: str
    row: int | None = None


@dataclass
class Preview:
    format: str
    encoding: str
    columns: list[str]
    rows: list[dict[str, str]]
    guesses: Columns
    problems: list[Problem] = field(default_factory=list)  # in line order
    lines: list[int] = field(default_factory=list)  # each row's number: its line, or `numbered`
    array: str | None = None  # a JSON object's members holding the records (`data.children`)
    day_first: bool | None = None  # the order of the time column's dates (`date_order`)
    sheet: Sheet | None = None  # a workbook's sheet read (its records read)
    unplaced: list[str] = field(default_factory=list)  # the rows' places the map does not know
    numbered: str = "line"  # what the numbers count (`formats.numbered_by`): line, row, record

    def as_dict(self) -> dict[str, Any]:
        """As the upload page's script reads it."""
        return {
            "format": self.format,
            "encoding": self.encoding,
            "encoding_name": encoding_name(self.encoding),
            "columns": self.columns,
            "rows": self.rows,
            "lines": self.lines,
            "array": self.array,
            "dates": None if self.day_first is None else ORDERS[self.day_first] + " first",
            "guesses": self.guesses.as_dict(),
            "problems": [problem._asdict() for problem in self.problems],
            "kind": self.sheet and self.sheet.kind,  # "an Excel workbook"
            "sheet": self.sheet and self.sheet.name,
            "sheets": self.sheet.names if self.sheet else [],
            "unplaced": self.unplaced,
            "numbered": self.numbered,
        }


def preview(
    binary: IO[bytes],
    filename: str | None,
    chosen: Columns | None = None,
    sheet: str | None = None,
) -> Preview:
    """The first rows, the columns and guesses for each role, from the start of a file (of a
    workbook, from its sheet `sheet`: None, the first with a filled cell).

    `problems` holds the rows among them that the import would refuse when reading the columns
    `chosen` (None: the guesses), so the page can mark them before the upload.
    """
    head = read_head(binary)
    file_format = formats.detect_format(filename, head)
    encoding, text = formats.file_start(head, file_format)
    records: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    columns = formats.csv_header(text) if file_format == "csv" else []
    opened, start = workbook_head(binary, sheet) if file_format == formats.WORKBOOK else (None, [])
    head_records = start if opened else formats.records(io.StringIO(text, newline=""), file_format)
    try:
        for line, record in head_records:
            if isinstance(record, BadRow):
                problems.append(Problem(record.line, record.reason))
                continue
            columns.extend(name for name in record if name not in columns)
            records.append((line, record))
            if len(records) >= PREVIEW_ROWS:
                break
    except IngestError as error:
        if file_format == formats.WORKBOOK:
            raise  # not a workbook that can be read: nothing to preview
        if len(head) < HEAD_BYTES:  # else the head may end inside a row that goes on
            problems.append(Problem(0, str(error)))
    guesses = guess_columns(columns, [record for _, record in records])
    time_column = (chosen or guesses).posted_at
    day_first = (
        dates_order(start, time_column)
        if opened
        else head_date_order(text, file_format, time_column)
    )
    checked = _checked(records, chosen or guesses, file_format, day_first)
    problems += [
        Problem(row.line, row.reason, shown)
        for shown, row in enumerate(checked)
        if isinstance(row, BadRow)
    ]
    unplaced = [row.unplaced for row in checked if isinstance(row, ParsedText) and row.unplaced]
    rows = [{name: shorten(value) for name, value in record.items()} for _, record in records]
    lines = [line for line, _ in records]
    problems.sort(key=lambda problem: problem.line)
    array = formats.records_array(text, file_format)
    found = Preview(
        file_format, encoding, columns, rows, guesses, problems, lines, array, day_first, opened
    )
    found.unplaced = list(dict.fromkeys(unplaced))
    found.numbered = formats.numbered_by(text, file_format)
    return found


def workbook_head(binary: IO[bytes], sheet: str | None) -> tuple[Sheet, list[tuple[int, Any]]]:
    """A workbook's sheet `sheet`, opened once, and its first `WORKBOOK_HEAD_ROWS` records,
    which show its date order as a text file's first lines do (its `records` go on after
    them: the preview and the import read the workbook once)."""
    opened = formats.workbook_sheet(binary, sheet)
    return opened, list(islice(opened.records, WORKBOOK_HEAD_ROWS))


def head_date_order(text: str, file_format: str, column: str | None) -> bool | None:
    """The order of the numeric dates in `column`, as a text file's complete first lines `text`
    show it: the preview and the import agree on it."""
    try:
        return dates_order(formats.records(io.StringIO(text, newline=""), file_format), column)
    except IngestError:
        return None


def dates_order(records: Iterable[tuple[int, Any]], column: str | None) -> bool | None:
    """The order of the numeric dates in `column` of `records` (`timestamps.date_order`)."""
    if not column:
        return None
    return date_order(record.get(column) for _, record in records if not isinstance(record, BadRow))


def _checked(
    records: list[tuple[int, dict[str, Any]]],
    columns: Columns,
    file_format: str,
    day_first: bool | None,
) -> list[ParsedText | BadRow]:
    """The rows as the import would read them (none until a text column is known)."""
    if file_format != "txt" and not columns.text:
        return []
    return [parse_record(line, record, columns, day_first) for line, record in records]


def guess_columns(columns: list[str], records: list[dict[str, Any]]) -> Columns:
    """Roles guessed from column names; the user confirms or picks in the preview. A name
    matches a role's names whole, then by its last part when it is a nested object's
    ("user.screen_name"), or, for the text and the time, by its last word ("full_text",
    "Review Text", "review_date"), for the coordinates by "latitude" and "longitude" last,
    for a place's name by "location", "city" or "town" last, and for its country by "country"
    (beside a place, "state", "province" or "region" too: not alone). Names are read in words, so
    "ReviewText" and "CreatedAt" read as "review_text" and "created_at".
    Where no name gives a role away, `records` may: the text column is the one with the most
    words a value (three or more; a survey's question as its header), the time column the
    first whose values are all dates ("Submitted")."""
    whole = {"_".join(_words(name)): name for name in columns if "." not in name}
    nested = {
        "_".join(_words(name.rpartition(".")[2])): name for name in reversed(columns) if "." in name
    }

    def named(candidates: tuple[str, ...], last_words: tuple[str, ...] = ()) -> str | None:
        for names in (whole, nested):
            if found := next((names[name] for name in candidates if name in names), None):
                return found
        return next((name for name in columns if _last_word(name) in last_words), None)

    return Columns(
        text=named(TEXT_NAMES, TEXT_NAMES) or _wordiest(columns, records),
        posted_at=named(TIME_NAMES) or _answered(columns, records),
        author=named(AUTHOR_NAMES),
        lat=named(LAT_NAMES, ("latitude",)),
        lon=named(LON_NAMES, ("longitude",)),
        place=(place := named(PLACE_NAMES, PLACE_WORDS)),
        country=named(COUNTRY_NAMES, ("country",)) or (named(STATE_NAMES) if place else None),
    )


def _last_word(name: str) -> str:
    words = _words(name)
    return words[-1] if words else ""


def _words(name: str) -> list[str]:
    """A column name's words in lower case: "Review Text", "review_text" and "ReviewText" alike
    ("Q2_TEXT": q, 2, text)."""
    return [word.lower() for word in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


def _wordiest(columns: list[str], records: list[dict[str, Any]]) -> str | None:
    """The column whose values have the most words on average, when that is at least
    TEXT_WORDS (ids, names, dates and numbers have fewer)."""
    best, most = None, TEXT_WORDS - 0.5
    for name in columns:
        values = [record.get(name) for record in records]
        texts = [value for value in values if isinstance(value, str) and value.strip()]
        words = sum(len(text.split()) for text in texts) / len(texts) if texts else 0
        if words > most:
            best, most = name, words
    return best


def _answered(columns: list[str], records: list[dict[str, Any]]) -> str | None:
    """The time column of a name ending in a time word ("Review Date"), else of dates in
    every record that fills it (`_dated`): of several, the one that says when a survey's
    answer was sent ("EndDate", "Submit Date (UTC)", "RecordedDate"), else the first that is
    no start ("StartDate"), else the first."""
    timed = [name for name in columns if _last_word(name) in TIME_NAMES]
    if timed:
        return _answer_first(timed)[0]
    return next((name for name in _answer_first(columns) if _dated(name, records)), None)


def _answer_first(names: list[str]) -> list[str]:
    """`names` with those saying when an answer was sent first and those of its start last."""

    def rank(name: str) -> int:
        words = set(_words(name))
        return 0 if SENT_WORDS & words else 2 if START_WORDS & words else 1

    return sorted(names, key=rank)


def _dated(name: str, records: list[dict[str, Any]]) -> bool:
    """Whether the column holds ISO 8601 dates in every record that fills it. Plain numbers
    do not count: ids, counts and scores would read as Unix seconds or as dates ("20261022")."""
    values = [record.get(name) for record in records]
    filled = [value for value in values if value not in (None, "")]
    return bool(filled) and all(_is_date(value) for value in filled)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or PLAIN_NUMBER.fullmatch(value):
        return False
    try:
        return parse_timestamp(value) is not None
    except AmbiguousDate:
        return True  # the preview marks its row, with how to write it
    except ValueError:
        return False
