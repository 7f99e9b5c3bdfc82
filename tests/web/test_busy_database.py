"""The embedded SQLite database has one write lock: a long write elsewhere (a large import, an
analysis finishing) must not turn page views into errors."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from emolytics import extensions
from emolytics.extensions import db
from emolytics.tables import UserSession, utcnow
from tests.conftest import AuthActions


@pytest.fixture
def sqlite_app(app_factory, app, postgres_url):
    if postgres_url:
        pytest.skip("SQLite's write lock")
    return app


@contextmanager
def write_lock_held(app) -> Iterator[None]:
    """Another process's long write transaction on the app's database."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def last_seen(app):
    with app.app_context():
        return db.session.scalar(select(UserSession.last_seen_at))


def test_pages_are_served_while_another_writer_holds_the_lock(sqlite_app, client, auth):
    auth.login()
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    with sqlite_app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=two_minutes_ago))
        db.session.commit()
    with write_lock_held(sqlite_app):
        page = client.get("/dashboard")
        assert page.status_code == 200
        assert "Hello, ada" in page.get_data(as_text=True)
    assert last_seen(sqlite_app) == two_minutes_ago  # the stamp waited a moment, then gave up
    assert client.get("/dashboard").status_code == 200
    assert last_seen(sqlite_app) > two_minutes_ago  # and the next request stamped


def test_a_write_that_cannot_wait_longer_gets_a_503_to_retry(app_factory, sqlite_app, monkeypatch):
    monkeypatch.setattr(extensions, "SQLITE_BUSY_TIMEOUT_MS", 100)
    impatient = app_factory()
    client = impatient.test_client()
    auth = AuthActions(client)
    auth.login()
    with write_lock_held(impatient):
        response = auth.logout()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "The database is busy" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200  # still signed in: nothing half-done
