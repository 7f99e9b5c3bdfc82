"""Errors become friendly pages, or JSON under /api/: never a traceback."""

import time
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    ServiceUnavailable,
)

from emolytics.accounts.team_errors import TeamChangeRefused
from emolytics.extensions import db, limiter
from emolytics.pipeline.alert_rules import RuleNotFound
from emolytics.pipeline.correction_errors import TextNotFound
from emolytics.pipeline.dataset_files import FileNotFound
from emolytics.pipeline.dataset_rows import NotInDataset
from emolytics.pipeline.datasets import DatasetNotFound
from emolytics.pipeline.jobs import JobNotFound
from emolytics.pipeline.personal_data import KeyUnreadable
from emolytics.pipeline.training import ModelNotFound
from emolytics.schemas.errors import error_body

TITLES = {
    400: "That request could not be understood",
    403: "Not allowed",
    404: "Page not found",
    409: "That cannot be done",
    410: "No longer valid",
    405: "Method not allowed",
    413: "Too large",
    429: "Too many requests",
    500: "Something went wrong on our side",
    503: "Busy for a moment",
}
BUSY_RETRY_SECONDS = 5


def api_error(
    status: int, code: str, message: str, items: list[dict[str, Any]] | None = None
) -> Response:
    """An API error (`schemas.errors.Error`), with `WWW-Authenticate` on a 401."""
    response = jsonify(error_body(code, message, items))
    response.status_code = status
    if status == 401:
        error = ', error="invalid_token"' if code == "invalid_token" else ""
        response.headers["WWW-Authenticate"] = f'Bearer realm="emolytics"{error}'
    return response


def _message(error: HTTPException) -> str:
    if isinstance(error, CSRFError):
        return "The form had expired or was not sent by this site. Please try again."
    if error.code == 429:
        return "Too many attempts in a short time. Please wait a little and try again."
    if error.code == 413:
        return "That upload is larger than this server accepts."
    return error.description or ""


def _retry_after(error: HTTPException) -> dict[str, str]:
    """Retry-After for a Flask-Limiter refusal (when its window lets the next request in) or
    a busy database."""
    if isinstance(error, ServiceUnavailable):
        return {"Retry-After": str(BUSY_RETRY_SECONDS)}
    limit = limiter.current_limit
    if not isinstance(error, RateLimitExceeded) or limit is None:
        return {}
    return {"Retry-After": str(max(1, int(limit.reset_at - time.time())))}


def _headers(error: HTTPException) -> dict[str, str]:
    """The headers the status promises: Allow on a 405 (RFC 9110), Retry-After when busy."""
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        return {"Allow": ", ".join(error.valid_methods)}
    return _retry_after(error)


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    headers = _headers(error)
    if request.path.startswith("/api/"):
        code = (error.name or "error").lower().replace(" ", "_")
        response = api_error(status, code, _message(error))
        response.headers.update(headers)
        return response
    title = TITLES.get(status, error.name)
    page = render_template("errors/error.html", status=status, title=title, message=_message(error))
    return page, status, headers


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    """The traceback goes to the log; the user sees a plain 500."""
    current_app.logger.error(
        "unhandled error on %s %s", request.method, request.path, exc_info=error
    )
    return handle_http_error(InternalServerError(original_exception=error))


def handle_database_error(error: OperationalError) -> ResponseReturnValue:
    """SQLite's one write lock held longer than a write may wait (a large import or an
    analysis finishing, on the embedded database): a 503 to retry, not a failure."""
    db.session.rollback()
    if "database is locked" not in str(error.orig):
        return handle_unexpected(error)
    busy = ServiceUnavailable(
        "The database is busy with a large job. Please try again in a few seconds."
    )
    return handle_http_error(busy)


def handle_not_owned(error: LookupError) -> ResponseReturnValue:
    """Another team's (or no) dataset, job, model or text: the same 404 as a missing one."""
    return handle_http_error(NotFound("There is nothing here, or it is not yours to see."))


def handle_team_change_refused(error: TeamChangeRefused) -> ResponseReturnValue:
    """A change to a team or its members that its rules forbid (the last owner leaving, a role
    too low...), or an invitation that cannot be used: the message says which."""
    db.session.rollback()
    if request.path.startswith("/api/"):
        return api_error(error.status, error.code, str(error))
    title = TITLES.get(error.status, "That cannot be done")
    page = render_template("errors/error.html", status=error.status, title=title, message=error)
    return page, error.status


def handle_key_unreadable(error: KeyUnreadable) -> ResponseReturnValue:
    """Texts for a dataset that masks personal data, whose key this server cannot open."""
    db.session.rollback()
    if request.path.startswith("/api/"):
        return api_error(409, "key_unreadable", str(error))
    page = render_template("errors/error.html", status=409, title=TITLES[409], message=error)
    return page, 409


def register(app: Flask) -> None:
    for missing in (
        DatasetNotFound,
        JobNotFound,
        ModelNotFound,
        TextNotFound,
        RuleNotFound,
        NotInDataset,
        FileNotFound,
    ):
        app.register_error_handler(missing, handle_not_owned)
    app.register_error_handler(TeamChangeRefused, handle_team_change_refused)
    app.register_error_handler(KeyUnreadable, handle_key_unreadable)
    app.register_error_handler(OperationalError, handle_database_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
