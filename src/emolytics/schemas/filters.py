"""The dashboard's filters in a query string, read one way for the pages and the API.

The callers word the refusals: a page drops a stale label with a notice and answers a bad date
with a 400 page; the API answers both with its JSON 400.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from emolytics.engine.labels import EMOTIONS
from emolytics.pipeline.filters import CORRECTED_CHOICES, Filters
from emolytics.pipeline.ingest import MAX_AUTHOR_CHARS, MAX_SEGMENT_CHARS
from emolytics.pipeline.keywords import clean_keyword
from emolytics.pipeline.search_syntax import parse as parse_search

MAX_QUERY_CHARS = 200
# ISO 639-1 (two letters), or three for the few languages the detector names without one, and
# "und" (undetermined)
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class UnknownLabel(ValueError):
    """The label filter names a label the dataset's analysis does not have."""

    def __init__(self, label: str, labels: list[str]) -> None:
        super().__init__(f"Unknown label {label!r}.")
        self.label = label
        self.labels = labels


class BadLanguage(ValueError):
    """The language filter is not a language code."""

    def __init__(self, value: str) -> None:
        super().__init__(
            f"language must be a language code such as en or de (ISO 639-1), or und "
            f"(undetermined); got {value[:40]!r}."
        )
        self.value = value


class BadCorrected(ValueError):
    """The corrected filter is none of its choices."""

    def __init__(self, value: str) -> None:
        super().__init__(
            f"corrected must be {', '.join(CORRECTED_CHOICES[:-1])} or {CORRECTED_CHOICES[-1]}; "
            f"got {value[:40]!r}."
        )
        self.value = value


class BadDate(ValueError):
    """`start` or `end` is not a date (`out_of_range`: a date, but the day after it is not)."""

    def __init__(self, name: str, value: str, out_of_range: bool = False) -> None:
        super().__init__(f"{name} is not a date: {value[:40]!r}")
        self.name = name
        self.value = value
        self.out_of_range = out_of_range


Day = Annotated[str, Field(json_schema_extra={"format": "date"})]


class FilterQuery(BaseModel):
    """The filters' query parameters; missing and empty mean "no filter"."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    label: str = Field(
        "",
        description="Only texts with this label: one of the dataset's labels (the default "
        f"analyzer's are {', '.join(EMOTIONS)}); any other is refused (400, `unknown_label`).",
    )
    keyword: str = Field("", description="Only texts that mention this tracked keyword.")
    start: Day = Field(
        "", description="Only texts posted on or after this day (UTC), e.g. 2026-03-01."
    )
    end: Day = Field(
        "",
        description="Only texts posted on or before this day (UTC); a day before `start` is "
        "refused (400, `invalid_date`).",
    )
    q: str = Field(
        "",
        description="Only texts the search finds, read as a search engine reads it: each word "
        'somewhere in the text (`late delivery`), a "quoted phrase" as written, `refund OR '
        'return` either, `-word` or `-"a phrase"` not at all; a word is found inside longer '
        f"ones too, in any case (first {MAX_QUERY_CHARS} characters).",
    )
    language: str = Field(
        "",
        description="Only texts detected in this language: an ISO 639-1 code such as `de`, or "
        "`und` (undetermined); anything else is refused (400, `invalid_language`).",
    )

    corrected: str = Field(
        "",
        description="`true`: only texts whose label a member corrected; `false`: only texts "
        "not corrected; `disagree`: only texts corrected to another label than the model's. "
        "Anything else is refused (400, `invalid_corrected`).",
    )

    segment: str = Field(
        "",
        description="Only texts of this segment (the category of the dataset's segment column, "
        "such as a product, a channel or a store), as written.",
    )
    author: str = Field(
        "",
        description="Only texts by this author, as written in the dataset's author column (its "
        "pseudonym where the dataset masks personal data).",
    )

    def filters(self, labels: list[str]) -> Filters:
        """The filters for a dataset analysed with `labels`; UnknownLabel, BadDate,
        BadLanguage or BadCorrected."""
        if self.label and self.label not in labels:
            raise UnknownLabel(self.label, labels)
        language = self.language.strip().lower()
        if language and not LANGUAGE_CODE.fullmatch(language):
            raise BadLanguage(self.language)
        corrected = self.corrected.strip().lower()
        if corrected and corrected not in CORRECTED_CHOICES:
            raise BadCorrected(self.corrected)
        return Filters(
            label=self.label or None,
            keyword=_keyword(self.keyword),
            start=_day(self.start, "start"),
            end=_day(self.end, "end", next_day=True),
            query=search_of(self.q),
            language=language or None,
            corrected=corrected or None,  # type: ignore[arg-type]  (one of the choices)
            segment=self.segment.strip()[:MAX_SEGMENT_CHARS] or None,
            author=self.author.strip()[:MAX_AUTHOR_CHARS] or None,
        )


def date_problem(filters: Filters) -> str | None:
    """Why no text can match `filters`, whatever the dataset, when their dates alone say so: a
    page shows it above an empty view, the API refuses the query with it."""
    if filters.start and filters.end and filters.end <= filters.start:
        start, end = filters.as_args()["start"], filters.as_args()["end"]
        return f"The end date ({end}) is before the start date ({start}): change one of them."
    return None


def search_of(q: str) -> str | None:
    """A text search as the filters keep it: its first `MAX_QUERY_CHARS` characters, written as
    they were read (`search_syntax.Search.written`; None: no search, or one that asks for
    nothing, such as `""`)."""
    search = parse_search(q.strip()[:MAX_QUERY_CHARS])
    return search.written if search else None


def parse(args: Mapping[str, str], labels: list[str] | None) -> Filters:
    """The filters in a query string (first value of each name; None for `labels`: the label
    filter unread, for several datasets); UnknownLabel, BadDate, BadLanguage or BadCorrected."""
    read = [name for name in FilterQuery.model_fields if labels is not None or name != "label"]
    return FilterQuery.model_validate({name: args[name] for name in read if name in args}).filters(
        labels or []
    )


def _keyword(typed: str) -> str | None:
    """A keyword filter written as the dataset's keywords are (`keywords.clean_keyword`: "Refund
    OR money back" is the keyword "refund OR money back"); one no keyword can be, lower-cased
    (it keeps no text)."""
    try:
        return clean_keyword(typed) or None
    except ValueError:
        return typed.strip().lower() or None


def _day(value: str, name: str, next_day: bool = False) -> datetime | None:
    """The UTC midnight starting the day `value` names (or ending it, with `next_day`); for a
    value with a time (2026-12-03T14:00, an alert's window), the start of that hour in UTC (or
    its end)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise BadDate(name, value) from error
    step = timedelta(days=1)
    if len(value) > 10:  # a date and a time: to the hour
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        start = datetime(moment.year, moment.month, moment.day, moment.hour, tzinfo=UTC)
        step = timedelta(hours=1)
    else:
        start = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    try:
        return start + step if next_day else start
    except OverflowError as error:
        raise BadDate(name, value, out_of_range=True) from error
