"""A dataset that masks personal data: its texts are stored with their e-mail addresses, phone
numbers, card numbers, IBANs and IP addresses masked and their authors pseudonymised
(`engine.personal_data`), whether they come from its upload, a file added to it or the live
feed. Chosen when the dataset is made, never undone: the texts were never stored whole.

The pseudonyms' key is random for each dataset (one author has another pseudonym in another
dataset) and kept sealed with SECRET_KEY (`accounts.sealed`): the database alone cannot tell
which author a pseudonym stands for by trying names. Phone numbers without their country code
are read as numbers of the region `PHONE_REGION` says (ISO 3166: US, GB, AT, ...).
"""

import secrets
from collections.abc import Iterable, Iterator
from typing import TypeVar

from flask import current_app

from emolytics.accounts import sealed
from emolytics.engine.personal_data import Masker
from emolytics.pipeline.ingest import BadRow, ParsedText
from emolytics.tables import Dataset

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
                row = ParsedText(
                    row.line, text, row.posted_at, author, row.lat, row.lon, row.segment
                )
        yield row
