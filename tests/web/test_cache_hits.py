"""The short-lived caches of sessions, tokens and dataset overviews are used, and run out."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event, update

from emolytics import caching
from emolytics.accounts import registration, teams, tokens
from emolytics.extensions import db
from emolytics.tables import User
from tests.conftest import PASSWORD, SETUP, AuthActions, join_team
from tests.web.bearer_headers import bearer
from tests.web.session_checks import signed_in


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements `app` sends while the block runs."""
    sent: list[str] = []

    def record(conn: object, cursor: object, sql: str, *_: object) -> None:
        sent.append(sql)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_signed_in_page_asks_the_database_nothing_the_second_time(app, client, auth):
    auth.login()
    assert client.get("/dashboard").status_code == 200
    with statements(app) as sent:
        page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Hello, ada" in page.get_data(as_text=True)
    assert sent == []


def test_an_api_call_asks_the_database_nothing_the_second_time(app, api):
    assert api.get("/api/v1/me").status_code == 200
    with statements(app) as sent:
        me = api.get("/api/v1/me")
    assert me.status_code == 200
    assert me.get_json()["username"] == "ada"
    assert sent == []


def test_a_shared_teams_page_and_token_ask_the_database_nothing_the_second_time(app, client, auth):
    with app.app_context():
        grace = registration.register("grace", PASSWORD)
        team_id = teams.create_team(grace, "Research", SETUP).id
        join_team(team_id, "ada", "analyst")
        secret = tokens.create_token(registration.find_user("ada"), "t", team_id=team_id).secret
    auth.login()
    assert client.get(f"/dashboard?team={team_id}").status_code == 200
    api = app.test_client()
    assert api.get("/api/v1/datasets", headers=bearer(secret)).status_code == 200
    with statements(app) as sent:
        page = client.get("/dashboard")
        listed = api.get("/api/v1/me", headers=bearer(secret))
    assert page.status_code == 200 and listed.json["team"]["name"] == "Research"
    assert sent == []


def test_no_cache_when_turned_off(app_factory, app):
    uncached = app_factory(CACHE_SECONDS=0)
    client = uncached.test_client()
    AuthActions(client).login()
    client.get("/dashboard")
    with statements(uncached) as sent:
        assert client.get("/dashboard").status_code == 200
    assert len(sent) >= 2  # the session with its user, and the datasets


def test_cached_entries_run_out(app, client, auth, monkeypatch):
    """A change made behind the app's back (here: straight in SQL) is seen within
    CACHE_SECONDS at the latest."""
    auth.login()
    assert signed_in(client)
    with app.app_context():
        db.session.execute(update(User).values(active=False))
        db.session.commit()
    assert signed_in(client)  # still cached: nothing told the counters
    later = caching.time.monotonic() + app.config["CACHE_SECONDS"] + 1
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert not signed_in(client)
