"""Reading API input (JSON bodies, form fields, query parameters) and refusing it clearly."""

import json
from typing import Any

from flask import Response, request

from emolytics.errors import api_error
from emolytics.pipeline import ingest, reports, training
from emolytics.pipeline.ingest import MAX_TEXT_CHARS
from emolytics.schemas.filters import BadDate, UnknownLabel
from emolytics.schemas.filters import parse as parse_filters

MAX_ID = 2**31 - 1  # ids are 32-bit integers in every table
MAX_NAME_CHARS = 120
ITEMS_LISTED = 100  # bad items listed in a refusal; all of them are counted


class Refusal(Exception):
    """A request the API turns down: `{"error": {"code", "message"}}` with `status`.

    `items` lists the bad items of a batch by index, when there are some.
    """

    def __init__(
        self, status: int, code: str, message: str, items: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.items = items

    def response(self) -> Response:
        items = None if self.items is None else self.items[:ITEMS_LISTED]
        return api_error(self.status, self.code, self.message, items)


# --- bodies ------------------------------------------------------------------------------------


def require_content_type(*mimetypes: str) -> str:
    if request.mimetype not in mimetypes:
        raise Refusal(
            415,
            "unsupported_media_type",
            f"Send the body as {' or '.join(mimetypes)} (the Content-Type header).",
        )
    return request.mimetype


def parse_json(raw: bytes | str, what: str = "The body") -> Any:
    """The JSON value in `raw`; Refusal for anything that is not strict JSON (NaN included)."""
    try:
        value = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        raise Refusal(400, "invalid_json", f"{what} is not valid JSON.") from error
    text = raw if isinstance(raw, str) else raw.decode(json.detect_encoding(raw), "replace")
    if ingest.has_lone_surrogate(text, value):
        raise Refusal(400, "invalid_json", f"{what} is not valid Unicode: {ingest.LONE_SURROGATE}.")
    return value


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object(fields: set[str], optional: bool = False) -> dict[str, Any]:
    """The request's JSON object body holding only `fields`; `{}` for no body when `optional`."""
    if optional and not request.get_data():
        return {}
    require_content_type("application/json")
    body = parse_json(request.get_data())
    if not isinstance(body, dict):
        raise Refusal(400, "invalid_body", "The body must be a JSON object.")
    unknown = sorted(set(body) - fields)
    if unknown:
        allowed = ", ".join(sorted(fields))
        raise Refusal(400, "unknown_field", f"Unknown field {unknown[0]!r} (allowed: {allowed}).")
    return body


def clean_name(value: Any) -> str:
    """A dataset or model name: a string of 1 to 120 characters, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise Refusal(400, "invalid_name", "Give a name (a non-empty string).")
    name = value.strip()
    if len(name) > MAX_NAME_CHARS or "\x00" in name:
        raise Refusal(
            400, "invalid_name", f"Names are at most {MAX_NAME_CHARS} characters, without NUL."
        )
    return name


def model_id_field(value: Any) -> int | None:
    """`model_id` of a body: null (the default analyzer) or a positive integer."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Refusal(400, "invalid_model_id", "model_id is null or the id of a trained model.")
    if value > MAX_ID:
        raise training.ModelNotFound(value)
    return value


def text_problem(text: Any) -> str | None:
    """Why `text` cannot be analysed or stored, or None when it can."""
    if not isinstance(text, str):
        return "no text" if text is None else "the text is not a string"
    if not text.strip():
        return "no text"
    if len(text.strip()) > MAX_TEXT_CHARS:
        return f"the text is longer than {MAX_TEXT_CHARS:,} characters"
    if "\x00" in text:
        return "the text contains a NUL character"
    return None


def check_batch_size(count: int, limit: int) -> None:
    if not count:
        raise Refusal(400, "no_texts", "The batch is empty: send at least one text.")
    if count > limit:
        raise Refusal(
            413, "too_many_texts", f"At most {limit:,} texts a call; this one has {count:,}."
        )


def refuse_items(bad: list[dict[str, Any]]) -> Refusal:
    """The refusal of a batch with `bad` items (`{"index", "reason"}`), listing them."""
    shown = "; ".join(f"#{item['index']}: {item['reason']}" for item in bad[:10])
    more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
    count = f"{len(bad)} item{'s' if len(bad) != 1 else ''}"
    message = f"{count} cannot be used, so nothing was stored or done: {shown}{more}."
    return Refusal(400, "invalid_items", message, bad)


# --- query parameters ----------------------------------------------------------------------------


def int_arg(name: str, default: int, highest: int) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= highest:
        raise Refusal(
            400, "invalid_parameter", f"{name} must be a whole number from 1 to {highest}."
        )
    return int(value)


def filters(labels: list[str]) -> reports.Filters:
    """The dashboard filters in the query: label, keyword, start, end (days, inclusive), q."""
    try:
        return parse_filters(request.args, labels)
    except UnknownLabel as error:
        raise Refusal(
            400,
            "unknown_label",
            f"Unknown label {error.label!r} (this dataset has {', '.join(labels)}).",
        ) from error
    except BadDate as error:
        message = f"{error.name} must be a date like 2026-03-01 (got {error.value[:40]!r})."
        raise Refusal(400, "invalid_date", message) from error
