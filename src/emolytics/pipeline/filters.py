"""What the dashboard's filters keep, as SQL: over the texts and their results, and over the
stored counts of the dataset's current analysis.

Every report takes the dataset and a `Filters` and reads the dataset's current analysis only:
the charts and totals sum its counts (`JobCount`, a few rows per hour and language of texts);
the texts table and the map read the texts themselves, through indexes. A text search counts
the texts it keeps when asked (the stored counts know no words; the summary reads the ids of
its matches once for all its parts when they are few: `searched`), and so does a language
filter over counts made before they knew languages. Texts the model does not read (label
`NOT_SCORED`) are in the texts table but left out of every breakdown: `kept_counts` keeps them
only when asked. The corrected filter counts the corrected texts it keeps when asked too (the
stored counts know how many are corrected, not which, nor whether the model and the correction
disagree); the texts not corrected are the stored counts less the corrected texts'.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Select,
    Subquery,
    and_,
    cast,
    func,
    or_,
    select,
    true,
    union_all,
)

from emolytics.pipeline import counts, search
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.tables import (
    NOT_SCORED,
    Correction,
    Dataset,
    JobCount,
    Result,
    TextKeyword,
    TextRow,
)

# true: corrected texts; false: not corrected; disagree: corrected to another label than the
# model's
Corrected = Literal["true", "false", "disagree"]
CORRECTED_CHOICES: tuple[Corrected, ...] = ("true", "false", "disagree")


@dataclass(frozen=True)
class Filters:
    label: str | None = None
    keyword: str | None = None
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    query: str | None = None  # text search, case-insensitive
    language: str | None = None  # ISO 639-1 code, or "und"
    corrected: Corrected | None = None
    segment: str | None = None  # as written in the file's segment column
    author: str | None = None  # as stored: as written, or its pseudonym (personal data masked)
    # the ids of the current analysis's texts the search matches, read once (`searched`):
    # the statements that follow find them by id
    matches: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    def as_args(self) -> dict[str, str]:
        args = {
            "label": self.label,
            "keyword": self.keyword,
            "start": _day_or_hour(self.start) if self.start else None,
            "end": _day_or_hour(self.end, ending=True) if self.end else None,
            "q": self.query,
            "language": self.language,
            "corrected": self.corrected,
            "segment": self.segment,
            "author": self.author,
        }
        return {name: value for name, value in args.items() if value}

    @property
    def picks_texts(self) -> bool:
        """Whether they keep texts by their words or author, which the stored counts do not
        know: those texts are found and counted when asked."""
        return bool(self.query or self.author)


def _day_or_hour(moment: datetime, ending: bool = False) -> str:
    """A filter's bound as the query spells it: a day (2026-12-03), or an hour
    (2026-12-03T14:00) when it does not fall at midnight (an alert's window). An end is
    exclusive inside and inclusive in the query."""
    if moment.hour == 0:
        return (moment - timedelta(days=1) if ending else moment).date().isoformat()
    return f"{moment - timedelta(hours=1) if ending else moment:%Y-%m-%dT%H:00}"


def labels_of(dataset: Dataset) -> list[str]:
    """The label set of the dataset's current analysis (the default's, or the model's)."""
    return analysed_by(dataset).labels


def apply_filters(statement: Select[Any], dataset: Dataset, filters: Filters) -> Select[Any]:
    """Restrict `statement` (over Result joined to TextRow) by the filters."""
    return statement.where(*result_conditions(dataset, filters), *text_conditions(dataset, filters))


def result_conditions(dataset: Dataset, filters: Filters) -> list[ColumnElement[bool]]:
    """The filters' conditions over Result: the current analysis, label, keyword, language and
    corrected."""
    kept = [Result.job_id == dataset.current_job_id]
    if filters.label:
        kept.append(Result.label == filters.label)
    if filters.keyword:
        tagged = select(TextKeyword.text_id).where(
            TextKeyword.dataset_id == dataset.id, TextKeyword.keyword == filters.keyword
        )
        kept.append(Result.text_id.in_(tagged))
    if filters.language:
        kept.append(Result.language == filters.language)
    if filters.corrected:
        kept.append(corrected_texts(dataset, filters.corrected))
    return kept


def text_conditions(dataset: Dataset, filters: Filters) -> list[ColumnElement[bool]]:
    """The filters' conditions over TextRow: the dataset, then `on_texts`. A search's matches
    are the dataset's texts already: the dataset left out, SQLite looks them up by their ids
    instead of walking all the dataset's texts in an index's order (the map's)."""
    if filters.matches is not None:
        return on_texts(filters)
    return [TextRow.dataset_id == dataset.id, *on_texts(filters)]


def on_texts(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters' conditions a text's own columns decide: dates, segment, author and text
    search (none: the current analysis's results alone say which texts are kept)."""
    kept: list[ColumnElement[bool]] = []
    if filters.segment:
        kept.append(TextRow.segment == filters.segment)
    if filters.start:
        kept.append(TextRow.posted_at >= filters.start)
    if filters.end:
        kept.append(TextRow.posted_at < filters.end)
    if filters.picks_texts:
        kept.append(searching(filters))
    return kept


def searched(dataset: Dataset, filters: Filters) -> Filters:
    """The filters with the ids of the texts their search (and author) matches, read once for
    the reports that follow (each counts them by id instead of searching every text again),
    when they are few enough to look up (see `search`)."""
    if not filters.picks_texts or filters.matches is not None:
        return filters
    ids = search.matching(dataset, filters.query, filters.author)
    return filters if ids is None else replace(filters, matches=tuple(ids))


def searching(filters: Filters) -> ColumnElement[bool]:
    """The condition over TextRow of the search and the author: their matches' ids when read,
    else the search and the author."""
    if filters.matches is not None:
        return TextRow.id.in_(search.listed(filters.matches))
    return search.picked(filters.query, filters.author)


def corrected_texts(dataset: Dataset, corrected: Corrected) -> ColumnElement[bool]:
    """The condition of the corrected filter over Result. Corrected texts are few: they are
    found from the dataset's corrections, not by reading every result."""
    if corrected == "false":
        return Result.model_label.is_(None)
    kept = and_(Result.model_label.is_not(None), Result.text_id.in_(corrected_ids(dataset)))
    if corrected == "disagree":
        kept = and_(kept, Result.model_label != Result.label)
    return kept


def corrected_ids(dataset: Dataset) -> Select[Any]:
    """The ids of the dataset's corrected texts (its corrections': applied, or waiting for a
    model with their label)."""
    return select(Correction.text_id).where(Correction.dataset_id == dataset.id)


def texts_rows(columns: Sequence[Any], dataset: Dataset, filters: Filters) -> Select[Any]:
    """`columns` of the current analysis's results with their texts, kept by the filters."""
    statement = select(*columns).select_from(Result).join(TextRow, TextRow.id == Result.text_id)
    return apply_filters(statement, dataset, filters)


def counted_now(dataset: Dataset, filters: Filters) -> bool:
    """Whether the texts the filters keep are counted when asked, not read from the stored
    counts: for a text search or an author, the corrected texts, or a language when the current
    analysis's counts do not know languages (see `counts.know_languages`). The texts not
    corrected are read from them (see `kept_counts`)."""
    if filters.picks_texts or filters.corrected in ("true", "disagree"):
        return True
    return bool(filters.language) and not counts.know_languages(dataset.current_job_id)


def kept_counts(
    dataset: Dataset, filters: Filters, compared: bool = False, scored_only: bool = True
) -> Subquery:
    """The current analysis's counts of the texts the filters keep, per label and hour; with
    `compared`, per keyword they also mention (the keyword comparison). Texts the model did not
    score (their language) are left out, but kept without `scored_only` (label NOT_SCORED).

    The stored counts, or the matching texts counted now (see `counted_now`); for the texts
    not corrected, the stored counts and the corrected texts' (few: counted now) negated, so a
    group may have several rows and its texts sum to 0 (callers sum and leave out empty sums),
    and `first_at` and `last_at` stay those of all the texts.
    Dates are whole days and counts whole hours, so the date filters keep whole rows.
    """
    if counted_now(dataset, filters):
        few = None  # the texts' ids, where known: found by them, not by walking every text
        search_condition = filters.picks_texts
        if filters.corrected in ("true", "disagree"):
            few = corrected_ids(dataset)  # SQLite would walk every tag otherwise
        elif filters.matches is not None:  # the search's matches, whose ids are enough
            few, search_condition = search.listed(filters.matches), False
        matching = and_(
            searching(filters) if search_condition else true(),
            corrected_texts(dataset, filters.corrected) if filters.corrected else true(),
        )
        found = counts.groups(dataset.current_job_id, dataset.id, matching, text_ids=few)
        source = union_all(*found)
        columns = source.subquery("searched").c
    elif filters.corrected == "false":
        return _less_corrected(
            dataset, lambda columns: _kept(columns, dataset, filters, compared, scored_only)
        ).subquery("counted")
    else:
        columns = JobCount.__table__.c
    kept = _kept(columns, dataset, filters, compared, scored_only)
    return select(*columns).where(*kept).subquery("counted")


def _kept(
    columns: Any, dataset: Dataset, filters: Filters, compared: bool, scored_only: bool
) -> list[ColumnElement[bool]]:
    """`kept_counts`' conditions over count rows `columns` (with the columns of `COLUMNS`)."""
    keyword = filters.keyword or ""
    kept = [columns.job_id == dataset.current_job_id]
    if not compared:
        kept += [columns.keyword == "", columns.also == keyword]
    elif keyword:  # the texts mentioning it, and those mentioning it and another one
        kept.append(
            or_(columns.keyword == keyword, and_(columns.keyword == "", columns.also == keyword))
        )
    else:
        kept += [columns.keyword == "", columns.also != ""]
    kept += label_and_dates(columns.label, columns.hour, filters)
    if filters.language:
        kept.append(columns.language == filters.language)
    if filters.segment:
        kept.append(columns.segment == filters.segment)
    if scored_only:
        kept.append(columns.label != NOT_SCORED)
    return kept


def label_and_dates(
    label: ColumnElement[str], moment: ColumnElement[Any], filters: Filters
) -> list[ColumnElement[bool]]:
    """The conditions of the emotion and date filters, over `label` and `moment`."""
    kept = []
    if filters.label:
        kept.append(label == filters.label)
    if filters.start:
        kept.append(moment >= filters.start)
    if filters.end:
        kept.append(moment < filters.end)
    return kept


def sum_of(column: ColumnElement[int]) -> ColumnElement[int]:
    """The sum of `column` as an integer (0 for no rows)."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def _less_corrected(
    dataset: Dataset, kept: Callable[[Any], list[ColumnElement[bool]]]
) -> CompoundSelect:
    """The current analysis's count rows that `kept` keeps, and those of its corrected texts
    with their sums negated: a sum over the rows of a group is the group's texts not corrected
    (0 when all are), with the bounds (`first_at`, `last_at`) of all its texts. Summing
    without grouping again costs one pass over the stored rows."""
    stored = JobCount.__table__.c
    corrected, few = corrected_texts(dataset, "true"), corrected_ids(dataset)
    languages = counts.know_languages(dataset.current_job_id)  # as the stored counts have them
    found = counts.groups(dataset.current_job_id, dataset.id, corrected, few, languages)
    found = union_all(*found).subquery()
    taken = select(
        *((-found.c[name] if name in counts.SUMMED else found.c[name]).label(name)
          for name in counts.COLUMNS)
    ).where(*kept(found.c))  # fmt: skip
    return union_all(select(*(stored[name] for name in counts.COLUMNS)).where(*kept(stored)), taken)
