"""A dataset that masks personal data: its texts are stored with their e-mail addresses, phone
numbers, card numbers, IBANs and IP addresses masked and their authors pseudonymised
(`engine.personal_data`), whether they come from its upload, a file added to it or the live
feed. Chosen when the dataset is made, or later (`start_masking`): then its stored texts are
masked in place by a job (`mask_stored`) and analysed again, so that no explanation, top term
or search finds what was masked. Never undone.

The pseudonyms' key is random for each dataset (one author has another pseudonym in another
dataset) and kept sealed with SECRET_KEY (`accounts.sealed`): the database alone cannot tell
which author a pseudonym stands for by trying names. Phone numbers without their country code
are read as numbers of the region `PHONE_REGION` says (ISO 3166: US, GB, AT, ...).
"""

import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from flask import current_app
from sqlalchemy import select, update

from emolytics.accounts import sealed
from emolytics.engine.personal_data import Masker
from emolytics.extensions import db
from emolytics.pipeline import bulk, jobs
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.pipeline.chunks import text_chunks
from emolytics.pipeline.ingest import BadRow, ParsedText
from emolytics.tables import Dataset, Job, JobKind, JobStatus, TextRow

Row = TypeVar("Row", ParsedText, ParsedText | BadRow)
MAX_REMEMBERED = 100_000  # authors' pseudonyms remembered while a file's texts are masked


class KeyUnreadable(Exception):
    """The dataset's key for pseudonyms cannot be opened (SECRET_KEY changed): no text can be
    added to it (409)."""

    def __init__(self) -> None:
        super().__init__(
            "This dataset masks personal data, and its key for the authors' pseudonyms cannot "
            "be opened: the server's SECRET_KEY changed. Put the previous key in "
            "SECRET_KEY_FALLBACKS to add texts to it."
        )


class MaskingRefused(Exception):
    """The dataset's stored texts are masked already, or being masked (409)."""


def masking(dataset: Dataset) -> Job | None:
    """The latest job masking the dataset's stored texts (None: none ever did)."""
    return db.session.scalar(
        select(Job)
        .where(Job.dataset_id == dataset.id, Job.kind == JobKind.MASKING)
        .order_by(Job.id.desc())
        .limit(1)
    )


def masked_fully(dataset: Dataset) -> bool:
    """Whether every text of the dataset is stored masked: it masked them from its upload on,
    or a job masked those stored before (one that stopped halfway can be started again)."""
    if dataset.author_key is None:
        return False
    latest = masking(dataset)
    return latest is None or latest.status in (JobStatus.DONE, JobStatus.QUEUED, JobStatus.RUNNING)


def start_masking(dataset: Dataset) -> Job | None:
    """Mask the texts the dataset will be given from now on and, by a job, those it has (then
    analysed again with the model of its analysis); the job, or None when it has no texts yet.
    MaskingRefused when its texts are masked already, or being masked."""
    if masked_fully(dataset):
        raise MaskingRefused(
            "This dataset's texts are masked already, or being masked: its personal data "
            "is masked as each text is stored."
        )
    if dataset.author_key is None:
        dataset.author_key = new_key()
    db.session.commit()
    if not dataset.row_count:
        return None
    model = analysed_by(dataset)
    return jobs.start_masking(dataset, model.model_id)


def mask_stored(dataset: Dataset, on_progress: Callable[[int], None] | None = None) -> None:
    """Mask the dataset's stored texts and authors in place, a chunk (committed) at a time:
    stopped halfway, it starts again from the first (a masked text stays as it is)."""
    masker = masker_of(dataset)
    if masker is None:
        return
    done = 0
    for chunk in text_chunks(dataset.id, 0, bulk.BATCH, None, TextRow.author):
        masked = [(row.id, masker.text(row.text), masker.author(row.author)) for row in chunk]
        changed = [
            {"id": text_id, "text": text, "author": author}
            for (text_id, text, author), row in zip(masked, chunk, strict=True)
            if text != row.text or author != row.author
        ]
        if changed:
            db.session.execute(update(TextRow), changed)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done)
        db.session.commit()


def new_key() -> str:
    """A sealed key for a new dataset that masks personal data (`Dataset.author_key`)."""
    return sealed.seal(secrets.token_hex(32))


def masker_of(dataset: Dataset) -> Masker | None:
    """What masks the dataset's texts (None: it keeps them as they are)."""
    if dataset.author_key is None:
        return None
    try:
        key = sealed.unseal(dataset.author_key)
    except sealed.Unreadable:
        raise KeyUnreadable() from None
    return Masker(current_app.config["PHONE_REGION"], bytes.fromhex(key))


def masked(dataset: Dataset, rows: Iterable[Row]) -> Iterable[Row]:
    """`rows` as the dataset stores them: masked if it masks personal data."""
    masker = masker_of(dataset)
    return rows if masker is None else _masked(masker, rows)


def _masked(masker: Masker, rows: Iterable[Row]) -> Iterator[Row]:
    pseudonyms: dict[str, str | None] = {}  # an author writes many texts: hashed once
    for row in rows:
        if isinstance(row, ParsedText):
            text, author = masker.text(row.text), row.author
            if author is not None:
                if (pseudonym := pseudonyms.get(author)) is None:
                    if len(pseudonyms) >= MAX_REMEMBERED:
                        pseudonyms.clear()
                    pseudonym = pseudonyms[author] = masker.author(author)
                author = pseudonym
            if text is not row.text or author is not row.author:
                row = replace(row, text=text, author=author)
        yield row
