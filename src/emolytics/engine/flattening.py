"""A JSON record's nested objects as columns of dotted names, as uploads and `emolytics
analyze` read them."""

from typing import Any

MAX_DEPTH = 4  # levels of nested objects whose members become columns; deeper ones stay whole


def flattened(record: dict[str, Any]) -> dict[str, Any]:
    """The record with the members of its nested objects as columns of dotted names:
    `{"user": {"name": "ana"}}` is `{"user.name": "ana"}`, as a tweet's author is found. An
    empty object is no column, and a name given twice keeps its first value."""
    if dict not in map(type, record.values()):  # json makes plain dicts
        return record  # the quick answer for flat records
    flat: dict[str, Any] = {}
    _flatten(record, "", flat, MAX_DEPTH)
    return flat


def _flatten(record: dict[str, Any], prefix: str, flat: dict[str, Any], depth: int) -> None:
    for name, value in record.items():
        if isinstance(value, dict) and depth:
            _flatten(value, f"{prefix}{name}.", flat, depth - 1)
        else:
            flat.setdefault(prefix + name, value)
