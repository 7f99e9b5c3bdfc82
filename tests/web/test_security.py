"""Security headers, cookie flags, friendly error pages and escaping."""

from pathlib import Path

import pytest
from werkzeug.exceptions import NotFound

import emolytics
from tests.conftest import AuthActions

TEMPLATES = Path(emolytics.__file__).with_name("templates")


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/no-such-page"])
def test_security_headers_on_every_page(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script():
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        assert "<script>" not in source, template
        assert " onclick=" not in source and " onload=" not in source, template


@pytest.mark.parametrize("url", ["/dashboard", "/account/activity", "/account/tokens"])
def test_signed_in_pages_are_not_cached(client, auth, url):
    auth.login()
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, auth):
    auth.login(remember=True)
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        assert cookie.http_only
        assert cookie.same_site == "Lax"
        assert not cookie.secure


def test_cookies_are_secure_in_https_mode(app_factory):
    app = app_factory(HTTPS=True)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    auth = AuthActions(client)
    without_referrer = auth.register("grace", "violet harbour 1987")
    assert without_referrer.status_code == 400  # Flask-WTF's strict same-origin check on HTTPS
    client.environ_base["HTTP_REFERER"] = "https://localhost/register"
    assert auth.register("grace", "violet harbour 1987").status_code == 302
    auth.logout()
    assert auth.login("grace", "violet harbour 1987", remember=True).status_code == 302
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        assert cookie is not None and cookie.secure


def test_404_page_is_friendly(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert '<nav class="main">' in page  # the site's own layout


def test_413_page(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/login", data={"username": "x" * 5000})
    assert response.status_code == 413
    assert "larger than this server accepts" in response.get_data(as_text=True)


def test_500_page_shows_no_traceback(app_factory):
    app = app_factory()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.testing = False  # as in production: errors become pages, not exceptions
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_api_500_is_json(app_factory):
    app = app_factory()
    app.testing = False

    @app.get("/api/v1/boom")
    def api_boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_server_error"
    assert "secret internals" not in response.get_data(as_text=True)


def test_http_errors_keep_their_description(app_factory):
    app = app_factory()

    @app.get("/missing-thing")
    def missing() -> str:
        raise NotFound("No such dataset.")

    assert "No such dataset." in app.test_client().get("/missing-thing").get_data(as_text=True)


def test_user_text_is_escaped(client, auth):
    response = auth.login('<img src=x onerror="alert(1)">', "whatever password")
    page = response.get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_form_fields_carry_no_placeholder_attributes(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="None"' not in page
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page


def test_static_files_stay_cacheable_and_skip_the_session_lookup(app, client, auth, monkeypatch):
    from emolytics.accounts import sessions

    auth.login()
    lookups: list[str] = []
    real = sessions.load_session_user
    monkeypatch.setattr(
        sessions, "load_session_user", lambda key, **use: lookups.append(key) or real(key, **use)
    )
    response = client.get("/static/style.css")
    response.close()  # a file response: release the file
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert "nosniff" in response.headers["X-Content-Type-Options"]
    assert lookups == []
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert len(lookups) == 1
