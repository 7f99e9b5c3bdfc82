"""What a team keeps about one of its datasets beside its texts (saved views, annotations): a
row found only through its dataset, so another dataset's or team's id is simply not found."""

from collections.abc import Callable
from typing import Any, TypeVar

from emolytics.extensions import db

Row = TypeVar("Row", bound=Any)


class NotInDataset(LookupError):
    """No such row of this dataset: a 404, as for another team's."""


def owned(table: type[Row], dataset_id: int, row_id: int) -> Row:
    row = db.session.get(table, row_id)
    if row is None or row.dataset_id != dataset_id:
        raise NotInDataset(row_id)
    return row


def delete(table: type[Row], dataset_id: int, row_id: int, described: Callable[[Row], str]) -> str:
    """Delete the dataset's row; what it was (`described`), for the audit log."""
    row = owned(table, dataset_id, row_id)
    what = described(row)
    db.session.delete(row)
    db.session.commit()
    return what
