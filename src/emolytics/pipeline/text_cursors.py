"""The orders of the texts table, and cursors into them: where a page ended, so that the next
one starts right after it (keyset paging), however deep, and however many texts a live feed
adds meanwhile (an offset would repeat or skip texts as new ones push the old ones down).

A cursor is the sort's name and the last text's values of that order's keys (its time, or its
score, and its id), as URL-safe base64 of JSON: opaque to a client, checked when read back."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, not_, or_

from emolytics.tables import NOT_SCORED, Result, TextRow

# A text the model did not score (its language) has no valence or confidence: it sorts last.
UNSCORED = func.coalesce(Result.model_label, Result.label) == NOT_SCORED


@dataclass(frozen=True)
class Key:
    column: ColumnElement[Any]
    descending: bool = False
    nullable: bool = False  # its NULLs sort last, whatever the direction
    kind: type = int  # what its values are: int, float, bool or datetime

    def ordered(self, backwards: bool = False) -> ColumnElement[Any]:
        descending = self.descending != backwards
        ordered = self.column.desc() if descending else self.column.asc()
        if not self.nullable:
            return ordered
        return ordered.nulls_first() if backwards else ordered.nulls_last()

    def after(self, value: Any) -> ColumnElement[bool]:
        """The rows this key puts after `value`."""
        if value is None or value is True:  # NULLs and true are last: nothing after them
            return false()
        if value is False:  # a condition (ascending): true comes after false
            return self.column
        later = self.column < value if self.descending else self.column > value
        return or_(later, self.column.is_(None)) if self.nullable else later

    def before(self, value: Any) -> ColumnElement[bool]:
        """The rows this key puts before `value`."""
        if value is None:  # NULLs are last: every value comes before them
            return self.column.is_not(None)
        if value is True or value is False:  # a condition (ascending): false comes first
            return not_(self.column) if value else false()
        return self.column > value if self.descending else self.column < value

    def equal(self, value: Any) -> ColumnElement[bool]:
        if isinstance(value, bool):  # a condition: it holds, or it does not
            return self.column if value else not_(self.column)
        return self.column.is_(None) if value is None else self.column == value


_TIME = Key(TextRow.posted_at, descending=True, nullable=True, kind=datetime)
_SCORED_FIRST = Key(UNSCORED, kind=bool)
# The table's orders (`sort`), by what a user calls them; each ends on the text's id.
ORDERS: dict[str, tuple[Key, ...]] = {
    "newest": (_TIME, Key(TextRow.id)),
    "oldest": (Key(TextRow.posted_at, nullable=True, kind=datetime), Key(TextRow.id)),
    "negative": (_SCORED_FIRST, Key(Result.valence, kind=float), Key(Result.text_id)),
    "positive": (
        _SCORED_FIRST,
        Key(Result.valence, descending=True, kind=float),
        Key(Result.text_id),
    ),
    "unsure": (_SCORED_FIRST, Key(Result.confidence, kind=float), Key(Result.text_id)),
}
# The orders by a result's number: a page is found from the results alone (see text_pages).
BY_RESULT = ("negative", "positive", "unsure")


class BadCursor(ValueError):
    """Not a cursor this API gave for this order."""


def order_by(order: str, backwards: bool = False) -> list[ColumnElement[Any]]:
    return [key.ordered(backwards) for key in ORDERS[order]]


def after(order: str, values: list[Any], backwards: bool = False) -> ColumnElement[bool]:
    """The rows `order` puts after the row whose keys have `values` (keyset paging), or
    before it when `backwards`."""
    keys = ORDERS[order]
    return or_(
        *(
            and_(
                *(key.equal(value) for key, value in zip(keys[:at], values, strict=False)),
                keys[at].before(values[at]) if backwards else keys[at].after(values[at]),
            )
            for at in range(len(keys))
        )
    )


def parts_after(
    order: str, values: list[Any], backwards: bool = False
) -> list[ColumnElement[bool]]:
    """`after`, cut where the order's first key turns to NULLs (texts without a time), so that
    each part is one range of an index on the keys, read in turn (backwards: from the row
    towards the first): one OR with the NULLs would make the database walk the index from its
    start (0.4 s at 500,000 texts down)."""
    first, beyond = ORDERS[order][0], after(order, values, backwards)
    column, value = first.column, values[0]
    if not first.nullable:
        return [beyond]
    if value is None:  # a text without a time: backwards, those without one, then the rest
        return [and_(column.is_(None), beyond), column.is_not(None)] if backwards else [beyond]
    if backwards:  # the texts with a time, up to this one's
        return [and_(column >= value if first.descending else column <= value, beyond)]
    bound = column <= value if first.descending else column >= value
    return [and_(bound, beyond), column.is_(None)]


def keys_of(order: str, text: dict[str, Any]) -> list[Any]:
    """The values of `order`'s keys of `text` (as `text_pages.text_row` gives it)."""
    values: list[Any] = []
    for key in ORDERS[order]:
        if key is _SCORED_FIRST:
            values.append(text["model_label"] is None)
            continue
        # a text's id is `id` among its columns, `text_id` on its result
        value = text["id" if key.column.key == "text_id" else key.column.key]
        # a text the model did not score shows no valence or confidence, and stores 0 (Result)
        values.append(0.0 if value is None and key.kind is float else value)
    return values


def encode(order: str, text: dict[str, Any]) -> str:
    """The cursor after `text` (as `text_pages.text_row` gives it) in `order`."""
    values = [
        value.isoformat() if isinstance(value, datetime) else value
        for value in keys_of(order, text)
    ]
    raw = json.dumps([order, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(order: str, cursor: str) -> list[Any]:
    """The keys' values of a cursor `encode` made for `order`; BadCursor for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise BadCursor from error
    keys = ORDERS[order]
    if not isinstance(found, list) or len(found) != len(keys) + 1 or found[0] != order:
        raise BadCursor
    return [_value(key, value) for key, value in zip(keys, found[1:], strict=True)]


def _value(key: Key, value: Any) -> Any:
    if value is None and key.nullable:
        return None
    if key.kind is datetime and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise BadCursor from error
        if moment.tzinfo is not None:
            return moment
    elif key.kind is bool and isinstance(value, bool):
        return value
    elif key.kind is int and type(value) is int and 0 <= value < 2**63:
        return value
    elif key.kind is float and type(value) in (int, float):
        return float(value)
    raise BadCursor
