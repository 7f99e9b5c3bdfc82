"""Quotas: how many texts one upload may hold and how many a team may store.

The team holds the quota: its members share it, whoever uploads. Both limits are settings
(`MAX_UPLOAD_ROWS`, `MAX_STORED_ROWS`; 0: no limit).
"""

from collections.abc import Iterable, Iterator

from flask import current_app
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline.ingest import BadRow, ParsedText
from emolytics.tables import Dataset
from emolytics.wording import plural


class QuotaExceeded(Exception):
    """A request would pass a quota; the message is for the user. Nothing of it is stored."""

    code = "quota_exceeded"  # for the API


class UploadTooLarge(QuotaExceeded):
    code = "too_many_texts"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"This file holds more than {limit:,} texts, the most one upload may hold. "
            "Split it into smaller files."
        )


class StorageFull(QuotaExceeded):
    code = "storage_full"

    def __init__(self, limit: int, stored: int) -> None:
        super().__init__(
            f"This team's datasets hold {plural(stored, 'text')} and may hold {limit:,} in all: "
            "this would pass that. Delete a dataset you no longer need first."
        )


def stored_rows(team_id: int) -> int:
    """Texts stored in all of the team's datasets."""
    total = select(func.sum(Dataset.row_count)).where(Dataset.team_id == team_id)
    return db.session.scalar(total) or 0


def within_quota(
    team_id: int, rows: Iterable[ParsedText | BadRow]
) -> Iterator[ParsedText | BadRow]:
    """`rows` as they come, raising a QuotaExceeded at the first text past a limit: the
    upload stops there instead of reading the rest of the file.

    The team's stored texts are counted now: the rows are read while a COPY holds the
    session's connection (PostgreSQL), where no other query can run.
    """
    upload_limit = current_app.config["MAX_UPLOAD_ROWS"]
    stored_limit = current_app.config["MAX_STORED_ROWS"]
    stored = stored_rows(team_id) if stored_limit else 0
    return _limited(rows, upload_limit, stored_limit, stored)


def _limited(
    rows: Iterable[ParsedText | BadRow], upload_limit: int, stored_limit: int, stored: int
) -> Iterator[ParsedText | BadRow]:
    texts = 0
    for row in rows:
        if isinstance(row, ParsedText):
            texts += 1
            if upload_limit and texts > upload_limit:
                raise UploadTooLarge(upload_limit)
            if stored_limit and stored + texts > stored_limit:
                raise StorageFull(stored_limit, stored)
        yield row


def check_room(team_id: int, added: int) -> None:
    """StorageFull if the team's datasets would hold more than its quota with `added` more
    texts than they hold now."""
    limit = current_app.config["MAX_STORED_ROWS"]
    stored = stored_rows(team_id)
    if limit and stored + added > limit:
        raise StorageFull(limit, stored)
