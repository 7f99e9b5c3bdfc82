"""Web-edge security: same-site redirect targets, response headers, bearer-only API."""

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest


def content_security_policy(extra_images: str = "") -> str:
    """The site's policy: no inline script or style; images also from `extra_images` (the map's
    tile server on pages with a map)."""
    images = f"img-src 'self' data: blob: {extra_images}".strip()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            images,
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative `//host`, `/\\host`, any backslash, control or
    invisible characters, and the same tricks hidden behind layers of percent-encoding.
    """
    if not target or len(target) > 2000:
        return None
    candidate = target
    for _ in range(4):
        if _is_offsite(candidate):
            return None
        decoded = unquote(candidate)
        if decoded == candidate:
            return target
        candidate = decoded
    return None  # more layers of encoding than any honest link has


def _is_offsite(candidate: str) -> bool:
    if not candidate.startswith("/") or candidate.startswith("//"):
        return True
    if "\\" in candidate:
        return True
    if any(unicodedata.category(char)[0] in {"C", "Z"} and char != " " for char in candidate):
        return True
    parts = urlsplit(candidate)
    return bool(parts.scheme or parts.netloc)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint == "static":
        return response  # public files: cacheable, and no need to look the user up
    if current_user.is_authenticated or request.path.startswith("/api/"):
        headers["Cache-Control"] = "no-store"
    return response


class BearerOnlyApi:
    """WSGI layer that drops cookies from requests under the API prefix.

    The API is authenticated by the bearer token alone: with no session or remember cookie in
    sight, Flask-Login hands every API request to the request_loader, and no ambient browser
    credential (hence no CSRF) can reach the API.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], prefix: str = "/api/") -> None:
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO", "").startswith(self.prefix):
            environ.pop("HTTP_COOKIE", None)
        return self.wsgi_app(environ, start_response)


def refuse_nul_characters() -> None:
    """No text we store may hold NUL (PostgreSQL refuses it): say so before anything runs."""
    fields = [*request.args.values()]
    if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        fields += request.form.values()
    if any("\x00" in value for value in fields):
        raise BadRequest("Text fields cannot contain NUL characters.")


def install(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.wsgi_app = BearerOnlyApi(app.wsgi_app)  # type: ignore[method-assign]
