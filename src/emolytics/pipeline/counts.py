"""An analysis's counts (`JobCount`) and map points (`JobPoint`): the dashboard's numbers
and map, kept by the database.

Built in SQL when an analysis finishes (in the commit that makes it current), added to when
the live feed brings texts, taken from when a text is corrected or a file's texts are removed
(`relabelling`), built again when the keywords change; removed with the job.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    any_,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import aliased

from emolytics.extensions import db
from emolytics.pipeline import statistics
from emolytics.pipeline.purge import hold
from emolytics.tables import (
    NOT_SCORED,
    Dataset,
    Job,
    JobCount,
    JobPoint,
    Result,
    TextKeyword,
    TextRow,
)
from emolytics.tables.user import UTCDateTime

COLUMNS = (
    "job_id",
    "keyword",
    "also",
    "label",
    "language",
    "segment",
    "hour",
    "texts",
    "geotagged",
    "corrected",
    "valence_sum",
    "valence_squares",
    "first_at",
    "last_at",
)
POINT_COLUMNS = ("job_id", "keyword", "posted_at", "text_id", "label", "lat", "lon", "language")
POINT_COLUMNS += ("segment",)
# The columns of `COLUMNS` that a group's texts share, with its hour.
GROUPED = ("keyword", "also", "label", "language", "segment")
# The columns of `COLUMNS` that add up: a group's texts added (`add`) or taken out (a
# correction moving a text to another label) change each by the texts' own.
SUMMED = ("texts", "geotagged", "corrected", "valence_sum", "valence_squares")


def count_results(job_id: int, dataset_id: int) -> None:
    """Count the job's results and place its points afresh; the caller commits."""
    for model in (JobCount, JobPoint):
        db.session.execute(delete(model).where(model.job_id == job_id))
    with statistics.grouped_by_hashing():
        for grouped in groups(job_id, dataset_id):
            db.session.execute(insert(JobCount).from_select(COLUMNS, grouped))
    for placed in points(job_id, dataset_id):
        db.session.execute(insert(JobPoint).from_select(POINT_COLUMNS, placed))


def recount(dataset_id: int) -> None:
    """Count the dataset's current analysis again (its texts were tagged again)."""
    job_id = db.session.scalar(
        select(Job.id)
        .join(Dataset, Dataset.current_job_id == Job.id)
        .where(Dataset.id == dataset_id)
        .with_for_update(of=Job)  # the live feed adds to the counts under this lock too
    )
    if job_id is not None:
        hold(Job, job_id)  # SQLite: taken only now, with its write lock
        count_results(job_id, dataset_id)
    db.session.commit()
    statistics.vacuum("job_counts", "job_points")


def add(job_id: int, dataset_id: int, text_ids: Sequence[int]) -> None:
    """Add the results of `text_ids` to the job's counts: to a group's row where it has one,
    as a new row where not; the caller commits.

    Callers hold the job's row lock (PostgreSQL; SQLite has one writer), so no two of them
    add the same new group at once.
    """
    languages = know_languages(job_id)
    for grouped in groups(job_id, dataset_id, text_ids=text_ids, languages=languages):
        added = grouped.subquery("added")
        same_group = and_(*group_of(job_id, added.c))
        db.session.execute(
            update(JobCount)
            .where(same_group)
            .values(
                **{name: getattr(JobCount, name) + added.c[name] for name in SUMMED},
                first_at=_least(JobCount.first_at, added.c.first_at),
                last_at=_greatest(JobCount.last_at, added.c.last_at),
            )
        )
        new_groups = select(added).where(~select(JobCount.id).where(same_group).exists())
        db.session.execute(insert(JobCount).from_select(COLUMNS, new_groups))
    for placed in points(job_id, dataset_id, text_ids):
        db.session.execute(insert(JobPoint).from_select(POINT_COLUMNS, placed))


def group_of(job_id: int, group: Any) -> list[ColumnElement[bool]]:
    """The conditions that find the job's count row of `group` (the columns or the values of
    its `GROUPED` and hour)."""
    hour = group.hour
    if isinstance(hour, ColumnElement):
        same_hour = JobCount.hour.is_not_distinct_from(hour)
    else:  # a value: found through the index's equality (None: IS NULL)
        same_hour = JobCount.hour.is_(None) if hour is None else JobCount.hour == hour
    same = (getattr(JobCount, name) == getattr(group, name) for name in GROUPED)
    return [JobCount.job_id == job_id, *same, same_hour]


def groups(
    job_id: int,
    dataset_id: int,
    texts: ColumnElement[bool] | None = None,
    text_ids: Sequence[int] | Select | None = None,
    languages: bool = True,
) -> list[Select]:
    """The job's results (of the texts `texts` keeps over TextRow, and of `text_ids` alone
    when given: ids, or a statement selecting a few) counted per label, language, segment and
    hour with the columns of `COLUMNS`: of every text (keyword and also ''), of the texts that
    mention a keyword (keyword '', also the keyword), and per label and day of those that
    mention two (keyword and also: the keyword comparison under a keyword filter, which only
    ever filters whole days). Without `languages`, every language is '', as in counts that do
    not know languages (see `know_languages`)."""
    language = _language() if languages else literal("").label("language")
    everything = _counted(job_id, literal(""), literal(""), language, _cut("hour")).join(
        TextRow, TextRow.id == Result.text_id
    )
    first, second = aliased(TextKeyword), aliased(TextKeyword)
    mentioned = _counted(job_id, literal(""), first.keyword, language, _cut("hour"))
    mentioned = mentioned.select_from(first)
    both = _counted(job_id, first.keyword, second.keyword, language, _cut("day"))
    both = both.select_from(first)
    # The second tag is found by its text alone (a text has one dataset): with the dataset in
    # the condition too, SQLite walks every tag of the dataset for each first tag.
    both = both.join(second, and_(second.text_id == first.text_id, second.keyword != first.keyword))
    statements = [everything.where(Result.job_id == job_id)]
    for statement in (mentioned, both):
        statements.append(
            statement.join(Result, and_(Result.job_id == job_id, Result.text_id == first.text_id))
            .join(TextRow, TextRow.id == first.text_id)
            .where(_tags_of(first, dataset_id, text_ids))
        )
    if text_ids is not None:
        statements[0] = statements[0].where(among(TextRow.id, text_ids))
    if texts is not None:
        statements = [statement.where(texts) for statement in statements]
    return statements


def points(job_id: int, dataset_id: int, text_ids: Sequence[int] | None = None) -> list[Select]:
    """The job's geotagged texts (of `text_ids` alone when given) with their labels, with the
    columns of `POINT_COLUMNS`: once with keyword '', and once per keyword each mentions. Texts
    not scored (their language) have no place on the map."""
    every = _placed(job_id, literal("")).where(TextRow.dataset_id == dataset_id)
    if text_ids is not None:
        every = every.where(among(TextRow.id, text_ids))
    tagged = (
        _placed(job_id, TextKeyword.keyword)
        .join(TextKeyword, TextKeyword.text_id == TextRow.id)
        .where(_tags_of(TextKeyword, dataset_id, text_ids))
    )
    return [every, tagged]


def _tags_of(
    tags: type[TextKeyword], dataset_id: int, text_ids: Sequence[int] | Select | None
) -> ColumnElement[bool]:
    """The dataset's tags, or those of `text_ids` alone, found through the tags' text index:
    with the dataset in the condition, SQLite (no statistics) walks all the dataset's tags for
    each text, about 80 ms a statement at a million texts."""
    if text_ids is None:
        return tags.dataset_id == dataset_id
    return among(tags.text_id, text_ids)


def among(column: ColumnElement[int] | Any, ids: Sequence[int] | Select) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL a list of ids is one array parameter (thousands of
    parameters in a list cost more to render than the statement does to run)."""
    if isinstance(ids, Select) or db.engine.dialect.name != "postgresql":
        return column.in_(ids)
    return column == any_(literal(list(ids), ARRAY(BigInteger)))


def _placed(job_id: int, keyword: ColumnElement[str]) -> Select:
    return (
        select(
            literal(job_id).label("job_id"),
            keyword.label("keyword"),
            TextRow.posted_at,
            TextRow.id.label("text_id"),
            Result.label,
            TextRow.lat,
            TextRow.lon,
            _language(),
            _segment(),
        )
        .join(Result, and_(Result.job_id == job_id, Result.text_id == TextRow.id))
        .where(TextRow.lat.is_not(None), Result.label != NOT_SCORED)
    )


def _counted(
    job_id: int,
    keyword: ColumnElement[str],
    also: ColumnElement[str],
    language: ColumnElement[str],
    period: ColumnElement,
) -> Select:
    """The columns of `COLUMNS` for texts grouped by keyword, also, label, `language`, segment
    and `period` (with the sums of their valences and of the valences squared: a window's mean
    valence)."""
    segment = _segment()
    return select(
        literal(job_id).label("job_id"),
        keyword.label("keyword"),
        also.label("also"),
        Result.label,
        language,
        segment,
        period.label("hour"),
        func.count().label("texts"),
        func.count(TextRow.lat).label("geotagged"),
        func.count(Result.model_label).label("corrected"),
        # a text not scored has valence 0, under its own label: it adds nothing here
        func.coalesce(func.sum(Result.valence), 0.0).label("valence_sum"),
        func.coalesce(func.sum(Result.valence * Result.valence), 0.0).label("valence_squares"),
        func.min(TextRow.posted_at).label("first_at"),
        func.max(TextRow.posted_at).label("last_at"),
    ).group_by(keyword, also, Result.label, language, segment, period)


def _language() -> ColumnElement[str]:
    """A result's language as the counts and points keep it ('': not detected, before 0012)."""
    return func.coalesce(Result.language, "").label("language")


def _segment() -> ColumnElement[str]:
    """A text's segment as the counts and points keep it ('': none)."""
    return func.coalesce(TextRow.segment, "").label("segment")


def know_languages(job_id: int) -> bool:
    """Whether the job's counts carry their texts' languages: not when they were made before
    they did (0015). Such counts keep '' for every language until the dataset is counted again
    (`add` and the corrections keep them so), so one row tells."""
    language = db.session.scalar(
        select(JobCount.language)
        .where(JobCount.job_id == job_id, JobCount.keyword == "", JobCount.also == "")
        .limit(1)
    )
    return language != ""


def _cut(unit: str) -> ColumnElement:
    """posted_at cut to the hour or day in UTC, stored the way the column type stores times."""
    if db.engine.dialect.name == "postgresql":
        truncated = func.date_trunc(unit, func.timezone("UTC", TextRow.posted_at))
        return func.timezone("UTC", truncated, type_=UTCDateTime)
    shape = {"hour": "%Y-%m-%d %H:00:00.000000", "day": "%Y-%m-%d 00:00:00.000000"}[unit]
    return func.strftime(shape, TextRow.posted_at, type_=UTCDateTime)


def _least(left: ColumnElement, right: ColumnElement) -> ColumnElement:
    return (func.least if db.engine.dialect.name == "postgresql" else func.min)(left, right)


def _greatest(left: ColumnElement, right: ColumnElement) -> ColumnElement:
    return (func.greatest if db.engine.dialect.name == "postgresql" else func.max)(left, right)
