"""Datasets: import texts all-or-nothing, feed texts to a dataset, find datasets.

The writing itself is `bulk`'s; keywords are `keywords`' and `tagging`'s.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import partial
from typing import IO, Any

from sqlalchemy import bindparam, func, select, update

from emolytics import caching
from emolytics.accounts.audit import named
from emolytics.engine.json_records import LINE
from emolytics.extensions import db
from emolytics.pipeline import bulk, dataset_files, personal_data, reading, statistics
from emolytics.pipeline.ingest import BadRow, Columns, IngestError, ParsedText
from emolytics.pipeline.keywords import clean_keywords, keyword_pattern
from emolytics.pipeline.places import Unplaced
from emolytics.pipeline.preview import preview
from emolytics.pipeline.quotas import within_quota
from emolytics.tables import LIVE_SOURCE, Dataset, DatasetFile, Job, JobKind
from emolytics.wording import plural

# What a live-feed item (API) may carry besides its text: each role under its own name.
FEED_COLUMNS = Columns(**{role.name: role.name for role in fields(Columns)})
SKIPPED_LISTED = 100  # bad rows kept for display; all of them are counted
BAD_ROWS_SHOWN = 10  # in the message when an upload is refused


class DatasetNotFound(LookupError):
    """No such dataset in this team (another team's datasets do not exist for its non-members)."""


class UploadRefused(IngestError):
    """Some rows cannot be read and the user did not ask to skip them."""

    def __init__(self, bad_rows: list[BadRow], total_bad: int, numbered: str = LINE) -> None:
        shown = "; ".join(
            f"{numbered} {row.line}: {row.reason}" for row in bad_rows[:BAD_ROWS_SHOWN]
        )
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
    columns: Columns | None = None  # guessed from the column names where None or not named
    keywords: Sequence[str] = ()
    skip_bad_rows: bool = False
    sheet: str | None = None  # a workbook's sheet (None: the first with a filled cell)
    added_by: int | None = None  # the user uploading it
    mask_personal_data: bool = False  # the dataset's texts are stored masked (`personal_data`)


# --- importing ----------------------------------------------------------------------------------


def import_file(
    team_id: int,
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
    seen = dataset_files.fingerprint(binary, filename, upload.sheet)
    columns = upload.columns
    if columns is None or columns.text is None:  # guessed (once), but for the columns named
        columns = preview(binary, filename, sheet=upload.sheet).guesses.but(columns)
    rows = reading.read_texts(binary, filename, columns, upload.sheet, numbered=seen.numbered)
    return import_rows(team_id, upload, columns, rows, before_commit, seen)


def import_rows(
    team_id: int,
    upload: Upload,
    columns: Columns,
    rows: Iterable[ParsedText | BadRow],
    before_commit: Callable[[Dataset], None] | None = None,
    seen: dataset_files.Fingerprint | None = None,
) -> Dataset:
    """Store `rows` as a new dataset in one transaction (see `import_file`); `seen`: the file
    they are read from."""
    keywords = clean_keywords(upload.keywords)
    dataset = Dataset(
        team_id=team_id,
        name=upload.name,
        source=upload.source,
        keywords=keywords,
        column_map=columns.as_dict(),
        author_key=personal_data.new_key() if upload.mask_personal_data else None,
    )
    with whole_or_nothing(None if before_commit is None else partial(before_commit, dataset)):
        db.session.add(dataset)
        db.session.flush()
        found = None if seen is None else dataset_files.record(dataset.id, seen, upload.added_by)
        stored, bad = store_rows(dataset, rows, upload.skip_bad_rows, found)
        dataset.row_count = stored
        dataset.skipped_count = bad.count
        numbered = LINE if found is None else found.numbered
        dataset.skipped_rows = [[row.line, row.reason, numbered] for row in bad.listed]
    statistics.refresh("texts", "text_keywords")
    return dataset


def create_feed(
    team_id: int,
    name: str,
    keywords: Sequence[str] = (),
    before_commit: Callable[[], None] | None = None,
    mask_personal_data: bool = False,
) -> Dataset:
    """An empty dataset that the API's live feed fills (`append_texts`)."""
    dataset = Dataset(
        team_id=team_id,
        name=name,
        source=LIVE_SOURCE,
        keywords=clean_keywords(keywords),
        column_map=FEED_COLUMNS.as_dict(),
        author_key=personal_data.new_key() if mask_personal_data else None,
    )
    db.session.add(dataset)
    if before_commit is not None:
        before_commit()
    db.session.commit()
    return dataset


def rename(dataset: Dataset, name: str) -> tuple[str, str]:
    """Give the dataset `name` (checked by the caller: 1 to 120 characters, trimmed); the audit
    log's action and target. Links, alerts and digests name it by its id, so they follow."""
    old, dataset.name = dataset.name, name
    db.session.commit()
    return "dataset.renamed", f'{named("dataset", dataset.id, name)}, was "{old}"'


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
    unplaced = Unplaced()
    rows = list(unplaced.noted(personal_data.masked(dataset, rows)))
    with whole_or_nothing(before_commit):
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
        for start in range(0, len(rows), bulk.BATCH):
            batch = list(rows[start : start + bulk.BATCH])
            ids += bulk.insert_batch(dataset.id, batch, pattern, first_line + start)
        if unplaced.texts:  # read again under the row's lock: a push at once adds its own
            db.session.refresh(dataset, ["unplaced"])
            unplaced.add_to(dataset)
    db.session.expire(dataset, ["row_count"])
    return ids


def store_rows(
    dataset: Dataset,
    rows: Iterable[ParsedText | BadRow],
    skip_bad_rows: bool,
    file: DatasetFile | None = None,
) -> tuple[int, "BadRows"]:
    """Insert the good rows in `dataset` within its team's quota (`bulk.store_texts`), as the
    texts of `file` (counted in); how many, and the bad rows. Raises UploadRefused (bad rows
    not to be skipped), IngestError (no texts) or QuotaExceeded; the caller's transaction is
    then rolled back."""
    bad, unplaced = BadRows(), Unplaced()
    texts = unplaced.noted(
        bad.passed(within_quota(dataset.team_id, personal_data.masked(dataset, rows)))
    )
    file_id = None if file is None else file.id
    stored = bulk.store_texts(dataset.id, texts, keyword_pattern(dataset.keywords), file_id)
    unplaced.add_to(dataset)
    if file is not None:
        file.texts, file.skipped = stored, bad.count
    if bad.count and not skip_bad_rows:
        raise UploadRefused(bad.listed, bad.count, LINE if file is None else file.numbered)
    if stored == 0:
        raise IngestError("The file holds no texts.")
    return stored, bad


@contextmanager
def whole_or_nothing(before_commit: Callable[[], None] | None = None) -> Iterator[None]:
    """One transaction for what is written inside: committed whole (`before_commit` adding
    what must exist exactly when the rest does), or rolled back on any error."""
    try:
        yield
        if before_commit is not None:
            before_commit()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


class BadRows:
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


# --- finding and deleting ---------------------------------------------------------------------


def owned(team_id: int, dataset_id: int) -> Dataset:
    dataset = db.session.scalar(
        select(Dataset).where(Dataset.id == dataset_id, Dataset.team_id == team_id)
    )
    if dataset is None:
        raise DatasetNotFound(dataset_id)
    return dataset


def list_for(team_id: int) -> list[Dataset]:
    return list(
        db.session.scalars(
            select(Dataset).where(Dataset.team_id == team_id).order_by(Dataset.id.desc())
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
    .where(Dataset.team_id == bindparam("team_id"))
    .order_by(Dataset.id.desc())
)


def overview(team_id: int) -> list[Any]:
    """The team's datasets with their latest analysis's progress: from the short-lived cache,
    which any write to the datasets or jobs beats (`caching.DATASETS`), else in one query."""
    return caching.cache().lookup(
        ("overview", str(team_id)),
        caching.DATASETS,
        lambda: list(db.session.execute(_OVERVIEW, {"team_id": team_id})),
    )
