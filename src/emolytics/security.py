"""Web-edge security: same-site redirect targets, response headers, bearer-only API."""

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest

from emolytics.pipeline.ingest import contains_nul


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


# On every response, whatever made it (a view, an error page, a static file): added at the
# WSGI edge unless the response set its own (the map pages widen the image sources).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_BY_LOWER_NAME = tuple((name.lower(), (name, value)) for name, value in SECURITY_HEADERS)


def no_store_when_signed_in(response: Response) -> Response:
    """Signed-in pages and API answers are the user's alone: never kept by a cache."""
    if request.endpoint == "static":
        return response  # public files: cacheable, and no need to look the user up
    if current_user.is_authenticated or request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


class Edge:
    """WSGI layer: bearer-only API and the security headers.

    It drops cookies from requests under the API prefix: the API is authenticated by the
    bearer token alone, so with no session or remember cookie in sight Flask-Login hands every
    API request to the request_loader, and no ambient browser credential (hence no CSRF) can
    reach the API. The API reference is a page for people, not a call: it keeps its cookies so
    that its layout shows the signed-in menu (it reads nothing of the user's).
    And it adds SECURITY_HEADERS to every response that lacks them.
    """

    def __init__(
        self,
        wsgi_app: Callable[..., Iterable[bytes]],
        prefix: str = "/api/",
        pages: tuple[str, ...] = ("/api/v1/reference",),
    ) -> None:
        self.wsgi_app = wsgi_app
        self.prefix = prefix
        self.pages = pages

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix) and path not in self.pages:
            environ.pop("HTTP_COOKIE", None)

        def with_headers(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            present = {name.lower() for name, _ in headers}
            headers.extend(header for name, header in _BY_LOWER_NAME if name not in present)
            return start_response(status, headers, *rest)

        return self.wsgi_app(environ, with_headers)


SIGNED_TOKENS_KEPT = 10_000


def signed_once_csrf_token(app: Flask) -> Callable[[], str]:
    """The `csrf_token()` of templates: Flask-WTF's token, signed once per session and process.

    Signing costs more than rendering the rest of a page, and with no time limit
    (WTF_CSRF_TIME_LIMIT = None) a token signed earlier for the same session stays exactly as
    valid as a new one.
    """
    signed: dict[str, str] = {}
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")

    def csrf_token() -> str:
        raw = session.get(field)
        token = signed.get(raw) if raw else None
        if token is None:
            token = generate_csrf()
            if len(signed) >= SIGNED_TOKENS_KEPT:
                signed.clear()
            signed[session[field]] = token
        return token

    return csrf_token


def csrf_field(token: Callable[[], str]) -> Callable[[], Markup]:
    """The `csrf_field()` of templates: every form's hidden CSRF input, one spelling, without an
    id (a page may hold several forms). A plain function, built with an f-string: a Jinja macro
    or `Markup.format` costs several times the rest of the field."""

    def field() -> Markup:
        return Markup(f'<input type="hidden" name="csrf_token" value="{escape(token())}">')

    return field


def refuse_nul_characters() -> None:
    """No text we store may hold NUL (PostgreSQL refuses it): say so before anything runs."""
    fields = [*request.args.values()]
    if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        fields += request.form.values()
    if any(contains_nul(value) for value in fields):
        raise BadRequest("Text fields cannot contain NUL characters.")


def install(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.after_request(no_store_when_signed_in)
    app.wsgi_app = Edge(app.wsgi_app)  # type: ignore[method-assign]
