"""Reading API input (JSON bodies, query parameters, files) into the request models,
refusing it clearly."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import request
from werkzeug.datastructures import FileStorage

from emolytics.engine.json_records import LONE_SURROGATE, has_lone_surrogate
from emolytics.pipeline.dataset_files import DuplicateFile
from emolytics.pipeline.datasets import UploadRefused
from emolytics.pipeline.filters import Filters
from emolytics.pipeline.ingest import IngestError
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.schemas.errors import Refusal, Refusing
from emolytics.schemas.filters import (
    BadCorrected,
    BadDate,
    BadLanguage,
    UnknownLabel,
    date_problem,
)
from emolytics.schemas.filters import parse as parse_filters

Model = TypeVar("Model", bound=Refusing)


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
    if has_lone_surrogate(text, value):
        raise Refusal(400, "invalid_json", f"{what} is not valid Unicode: {LONE_SURROGATE}.")
    return value


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_body(model: type[Model], optional: bool = False) -> Model:
    """The request's JSON object body read into `model`; no body is `{}` when `optional`."""
    if optional and not request.get_data():
        return model.read({})
    require_content_type("application/json")
    body = parse_json(request.get_data())
    if not isinstance(body, dict):
        raise Refusal(400, "invalid_body", "The body must be a JSON object.")
    unknown = sorted(set(body) - set(model.model_fields))
    if unknown:
        allowed = ", ".join(sorted(model.model_fields))
        raise Refusal(400, "unknown_field", f"Unknown field {unknown[0]!r} (allowed: {allowed}).")
    return model.read(body)


def filters(labels: list[str] | None) -> Filters:
    """The dashboard filters in the query: label, keyword, start, end (days, inclusive), q,
    language, corrected (None for `labels`: the label unread, for several datasets)."""
    try:
        chosen = parse_filters(request.args, labels)
    except UnknownLabel as error:
        raise Refusal(
            400,
            "unknown_label",
            f"Unknown label {error.label!r} (this dataset has {', '.join(labels)}).",
        ) from error
    except BadDate as error:
        message = f"{error.name} must be a date like 2026-03-01 (got {error.value[:40]!r})."
        raise Refusal(400, "invalid_date", message) from error
    except BadLanguage as error:
        raise Refusal(400, "invalid_language", str(error)) from error
    except BadCorrected as error:
        raise Refusal(400, "invalid_corrected", str(error)) from error
    if problem := date_problem(chosen):  # reversed dates: no text could ever match
        raise Refusal(400, "invalid_date", problem)
    return chosen


def uploaded_file() -> FileStorage:
    """The multipart field `file`, or a refusal when there is none."""
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        raise Refusal(400, "no_file", "Send the texts as the multipart field 'file'.")
    return uploaded


@contextmanager
def file_refusals() -> Iterator[None]:
    """A file's texts read and stored: what cannot be (nothing is stored then) is refused."""
    try:
        yield
    except UploadRefused as error:
        raise Refusal(400, "unreadable_rows", str(error)) from error
    except DuplicateFile as error:
        raise Refusal(409, "duplicate_file", str(error)) from error
    except IngestError as error:
        raise Refusal(400, "unreadable_file", str(error)) from error
    except QuotaExceeded as error:
        raise Refusal(413, error.code, str(error)) from error
