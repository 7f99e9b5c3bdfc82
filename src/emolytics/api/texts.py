"""A dataset's texts: `GET` pages through them analysed and filtered, as the dashboard's table
does; `POST` (the live feed) stores a batch and analyses it at once."""

import math
from datetime import datetime
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue

from emolytics import current_team
from emolytics.api import bp
from emolytics.api.datasets import dataset_answer
from emolytics.api.idempotent import idempotent, record_key
from emolytics.api.inputs import filters, parse_json, require_content_type
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, pushes, terms, text_cursors, text_pages
from emolytics.pipeline.filters import labels_of
from emolytics.pipeline.ingest import (
    MAX_AUTHOR_CHARS,
    MAX_PLACE_CHARS,
    MAX_SEGMENT_CHARS,
    ParsedText,
    contains_nul,
    placed,
    text_problem,
)
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.pipeline.timestamps import parse_timestamp
from emolytics.schemas.answers import Pushed
from emolytics.schemas.errors import Refusal
from emolytics.schemas.filters import FilterQuery
from emolytics.schemas.requests import (
    MAX_BATCH,
    Batch,
    TextItem,
    check_batch_size,
    refuse_items,
)
from emolytics.schemas.texts import TextsPage, TextsQuery
from emolytics.tables import Role, utcnow


@bp.get("/datasets/<int:dataset_id>/texts")
@documented(
    Operation(
        "listTexts",
        "Reports",
        "Analysed texts, filtered and paginated",
        description="Newest first (texts without a time last) unless `sort` says otherwise, "
        "with label and scores; with `explain=true`, the reasons for each label too. Page by "
        "number, or follow `next_cursor` (the way to read every text of a live feed: a cursor "
        "neither repeats nor skips texts as new ones arrive).",
        query=(FilterQuery, TextsQuery),
        replies={200: Reply("One page of texts.", TextsPage)},
        errors=(400, 401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_texts(dataset_id: int) -> ResponseReturnValue:
    """One page of analysed texts, in the order asked (newest first), with their labels and
    scores."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    chosen = filters(labels_of(dataset))
    asked = TextsQuery.read_args(request.args)
    after = _cursor(asked)
    page = text_pages.texts(dataset, chosen, asked.page, asked.per_page, asked.sort, after)
    if asked.explain:
        terms.add_reasons(dataset, page.rows)
    return TextsPage(
        texts=page.rows,
        page=page.page,
        pages=page.pages,
        per_page=asked.per_page,
        total=page.total,
        capped=page.capped,
        next_cursor=page.next_cursor,
        filters=chosen.as_args(),
    ).json()


def _cursor(asked: TextsQuery) -> list[Any] | None:
    """The keys of the page's cursor, if it has one; a 400 for a cursor of another sort, one
    this API never gave, or one beside a page number."""
    if asked.cursor is None:
        return None
    if "page" in request.args:
        raise Refusal(400, "invalid_parameter", "Give a page or a cursor, not both.")
    try:
        return text_cursors.decode(asked.sort, asked.cursor)
    except text_cursors.BadCursor as error:
        message = f"cursor is not a `next_cursor` this API gave for sort={asked.sort}."
        raise Refusal(400, "invalid_cursor", message) from error


@bp.post("/datasets/<int:dataset_id>/texts")
@documented(
    Operation(
        "pushTexts",
        "Live feed",
        "Push a batch of texts",
        description=f"1 to {MAX_BATCH:,} texts (strings or objects) as a JSON array or "
        "NDJSON, one text per line. Every item is checked first: if any is bad, nothing is "
        "stored and `error.items` lists them by index (NDJSON: 0-based line number). The texts "
        "are analysed at once and show on the dashboard. A dataset that masks personal data "
        "stores them masked (409 `key_unreadable` when this server cannot open its key).",
        body={"application/json": Batch, "application/x-ndjson": str},
        examples={
            "application/json": [
                "Loving the new tram line",
                {"text": "Stuck again", "posted_at": "2026-03-01T08:15:00Z", "author": "k"},
            ],
            "application/x-ndjson": (
                '{"text": "Loving the new tram line"}\n{"text": "Stuck again"}\n'
            ),
        },
        replies={201: Reply("How many texts were added, and the dataset now.", Pushed)},
        errors=(400, 401, 403, 404, 409, 413, 415, 422),
        idempotent=True,
    )
)
@current_team.requires(Role.ANALYST)
@idempotent
def push_texts(dataset_id: int) -> ResponseReturnValue:
    """Store a batch (all of it or, when any item is bad, none) and analyse it. A text
    without `posted_at` was posted when it arrived."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    rows = _rows(_items(), arrived=utcnow())
    try:
        text_ids = pushes.push(dataset, rows, record_key)
    except QuotaExceeded as error:
        raise Refusal(413, error.code, str(error)) from error
    return Pushed(added=len(text_ids), dataset=dataset_answer(dataset)).json(), 201


class Unreadable:
    """An NDJSON line that is not JSON (reported with the other bad items)."""


def _items() -> list[tuple[int, Any]]:
    """(index, item) of a JSON array, or of the NDJSON lines (index: 0-based line number)."""
    mimetype = require_content_type("application/json", "application/x-ndjson")
    if mimetype == "application/x-ndjson":
        return _ndjson_items(request.get_data())
    items = parse_json(request.get_data())
    if not isinstance(items, list):
        raise Refusal(
            400, "invalid_body", "The body must be a JSON array of texts (strings or objects)."
        )
    return list(enumerate(items))


def _ndjson_items(body: bytes) -> list[tuple[int, Any]]:
    try:
        lines = body.decode("utf-8-sig").split("\n")
    except UnicodeDecodeError as error:
        raise Refusal(400, "invalid_json", "NDJSON must be UTF-8 text.") from error
    return [(index, _line_item(line)) for index, line in enumerate(lines) if line.strip()]


def _line_item(line: str) -> Any:
    try:
        return parse_json(line)
    except Refusal:
        return Unreadable()


def _rows(items: list[tuple[int, Any]], arrived: datetime) -> list[ParsedText]:
    check_batch_size(len(items), MAX_BATCH)
    rows: list[ParsedText] = []
    bad: list[dict[str, Any]] = []
    for index, item in items:
        parsed = _parsed(index, item, arrived)
        if isinstance(parsed, str):
            bad.append({"index": index, "reason": parsed})
        else:
            rows.append(parsed)
    if bad:
        raise refuse_items(bad)
    return rows


def _parsed(index: int, item: Any, arrived: datetime) -> ParsedText | str:
    """The item as a text to store, or why it cannot be one."""
    if isinstance(item, Unreadable):
        return "not valid JSON"
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        return "not a string or an object"
    unknown = sorted(set(item) - set(TextItem.model_fields))
    if unknown:
        return f"unknown field {unknown[0]!r}"
    problem = (
        text_problem(item.get("text"))
        or _short_problem("author", item.get("author"), MAX_AUTHOR_CHARS)
        or _short_problem("segment", item.get("segment"), MAX_SEGMENT_CHARS)
        or _short_problem("place", item.get("place"), MAX_PLACE_CHARS)
        or _short_problem("country", item.get("country"), MAX_PLACE_CHARS)
    )
    if problem:
        return problem
    try:
        posted_at = parse_timestamp(item.get("posted_at")) or arrived
        lat, lon = _coordinates(item.get("lat"), item.get("lon"))
    except (ValueError, OverflowError) as error:
        return str(error)
    author = (item.get("author") or "").strip() or None
    segment = (item.get("segment") or "").strip() or None
    unplaced = None
    if lat is None:
        lat, lon, unplaced = placed(item.get("place"), item.get("country"))
    text = item["text"].strip()
    return ParsedText(index + 1, text, posted_at, author, lat, lon, segment, unplaced)


def _short_problem(field: str, value: Any, limit: int) -> str | None:
    """Why an item's author, segment, place or country cannot be stored, or None when it can."""
    if value is None:
        return None
    if not isinstance(value, str) or contains_nul(value):
        return f"{field} must be a string without NUL characters"
    if len(value) > limit:
        return f"the {field} is longer than {limit} characters"
    return None


def _coordinates(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    """Both null, or both numbers on the globe (ValueError otherwise)."""
    if lat is None and lon is None:
        return None, None
    numbers = [value for value in (lat, lon) if _is_number(value)]
    if len(numbers) != 2:
        raise ValueError("lat and lon must both be numbers, or both be missing")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    return float(lat), float(lon)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
