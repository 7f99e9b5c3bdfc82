"""The short-lived caches of sessions, tokens and dataset overviews: used, and always beaten.

Two apps built on one database and one instance folder stand for two server processes: what
one of them changes, the other must see on its very next request, whatever it has cached.
"""

import multiprocessing
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, event, select, update

from emolytics import caching
from emolytics.accounts import registration, teams, tokens
from emolytics.cli import cli
from emolytics.extensions import db
from emolytics.tables import Dataset, Membership, User
from tests.conftest import PASSWORD, SETUP, AuthActions, csrf_token, join_team
from tests.web.test_sessions import NEW_PASSWORD, copy_cookies, signed_in


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


@pytest.fixture
def other_app(app_factory, app) -> Flask:
    """A second process of the same deployment."""
    return app_factory()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- the cache is used ----------------------------------------------------------------------


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


def test_a_member_removed_in_one_process_is_refused_at_once_by_another(app, other_app):
    with app.app_context():
        grace = registration.register("grace", PASSWORD)
        team_id = teams.create_team(grace, "Research", SETUP).id
        join_team(team_id, "ada", "analyst")
        secret = tokens.create_token(registration.find_user("ada"), "t", team_id=team_id).secret
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(secret)).json["role"] == "analyst"
    with app.app_context():
        join_team(team_id, "ada", "viewer")
    assert other_api.get("/api/v1/me", headers=bearer(secret)).json["role"] == "viewer"
    with app.app_context():
        ada_id = registration.find_user("ada").id
        db.session.execute(
            delete(Membership).where(Membership.user_id == ada_id, Membership.team_id == team_id)
        )
        caching.changed_after_commit(db.session, [teams.seats_guard(ada_id)])
        db.session.commit()
    assert other_api.get("/api/v1/me", headers=bearer(secret)).status_code == 401


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


# --- and always beaten, from another process ---------------------------------------------------


def test_sign_out_in_one_process_ends_the_session_in_another(app, other_app, client, auth):
    auth.login()
    copy = other_app.test_client()
    copy_cookies(client, copy, "session")
    assert signed_in(copy)  # now cached by the other process
    auth.logout()
    assert not signed_in(copy)


def test_sign_out_ends_a_cached_remember_cookie_elsewhere(app, other_app, client, auth):
    auth.login(remember=True)
    copy = other_app.test_client()
    copy_cookies(client, copy, "remember_token")
    assert signed_in(copy)
    auth.logout()
    assert not signed_in(copy)
    replay = other_app.test_client()
    copy.delete_cookie("session")
    replay.set_cookie("remember_token", copy.get_cookie("remember_token").value)
    assert not signed_in(replay)


def test_password_change_ends_cached_sessions_elsewhere(app, other_app, client, auth):
    auth.login()
    elsewhere = other_app.test_client()
    AuthActions(elsewhere).login()
    assert signed_in(elsewhere)
    changed = auth.post(
        "/account",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not signed_in(elsewhere)
    assert signed_in(client)


def test_sign_out_everywhere_else_reaches_other_processes(app, other_app, client, auth):
    auth.login()
    elsewhere = other_app.test_client()
    AuthActions(elsewhere).login()
    assert signed_in(elsewhere)
    auth.post("/account/sessions/revoke-others", {})
    assert not signed_in(elsewhere)


def test_disabled_account_is_refused_at_once_by_every_process(app, other_app, client, auth, api):
    auth.login()
    assert signed_in(client)
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 200
    result = other_app.test_cli_runner().invoke(cli, ["users", "disable", "ada"])
    assert result.exit_code == 0, result.output
    assert not signed_in(client)
    assert api.get("/api/v1/me").status_code == 401


def test_revoked_token_is_refused_at_once_by_every_process(app, other_app, client, auth, api):
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 200
    auth.login()
    tokens_page = client.get("/account/tokens").get_data(as_text=True)
    assert "revoke" in tokens_page
    with app.app_context():
        token = tokens.list_tokens(registration.find_user("ada"))[0]
    revoked = auth.post(f"/account/tokens/{token.id}/revoke", {})
    assert revoked.status_code == 302
    answer = other_api.get("/api/v1/me", headers=bearer(api.token))
    assert answer.status_code == 401
    assert "Bearer" in answer.headers["WWW-Authenticate"]


def test_deleted_account_is_refused_at_once_by_every_process(app, other_app, client, auth, api):
    other_api = other_app.test_client()
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 200
    auth.login()
    elsewhere = other_app.test_client()
    copy_cookies(client, elsewhere, "session")
    assert signed_in(elsewhere)
    auth.reauthenticate()
    deleted = auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")
    assert deleted.status_code == 302
    assert not signed_in(elsewhere)
    assert other_api.get("/api/v1/me", headers=bearer(api.token)).status_code == 401


def test_a_new_dataset_shows_on_a_cached_home_page_at_once(app, other_app, client, auth):
    auth.login()
    elsewhere = other_app.test_client()
    copy_cookies(client, elsewhere, "session")
    assert "Start here" in elsewhere.get("/dashboard").get_data(as_text=True)
    loaded = client.post("/datasets/sample", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert loaded.status_code == 302
    home = elsewhere.get("/dashboard").get_data(as_text=True)
    assert "Start here" not in home
    assert "Your datasets" in home


def test_a_deleted_dataset_leaves_a_cached_home_page_at_once(app, other_app, client, auth):
    auth.login()
    client.post("/datasets/sample", data={"csrf_token": csrf_token(client, "/dashboard")})
    elsewhere = other_app.test_client()
    copy_cookies(client, elsewhere, "session")
    assert "Your datasets" in elsewhere.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        dataset_id, name = db.session.execute(select(Dataset.id, Dataset.name)).one()
    url = f"/datasets/{dataset_id}"
    deleted = auth.post(f"{url}/delete", {"confirm_name": name})
    assert deleted.status_code == 302
    assert "Start here" in elsewhere.get("/dashboard").get_data(as_text=True)


# --- the shared counters -----------------------------------------------------------------------


def test_counters_out_of_reach_mean_no_cache_not_an_error(app_factory, app, caplog):
    unreachable = app_factory(
        REDIS_URL="redis://127.0.0.1:9/0", RATELIMIT_STORAGE_URI="memory://", JOB_QUEUE="inline"
    )
    client = unreachable.test_client()
    auth = AuthActions(client)
    assert auth.login().status_code == 302
    assert signed_in(client)
    assert signed_in(client)
    assert auth.logout().status_code == 302
    assert not signed_in(client)
    assert "cannot read the change counters" in caplog.text


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_redis_counters_reach_processes_on_other_machines(app_factory, app, tmp_path, monkeypatch):
    """Two apps with separate instance folders share nothing but the database and Redis."""
    redis_url = os.environ["TEST_REDIS_URL"]
    here = app_factory(REDIS_URL=redis_url, JOB_QUEUE="inline")
    monkeypatch.setenv("EMOLYTICS_INSTANCE_PATH", str(tmp_path / "another-machine"))
    there = app_factory(REDIS_URL=redis_url, JOB_QUEUE="inline")
    assert isinstance(there.extensions["emolytics_counters"], caching.RedisCounters)
    client = here.test_client()
    AuthActions(client).login()
    copy = there.test_client()
    copy_cookies(client, copy, "session")
    assert signed_in(copy)
    AuthActions(client).logout()
    assert not signed_in(copy)


def _raise_many(path: str, times: int) -> None:
    counters = caching.FileCounters(Path(path))
    for _ in range(times):
        counters.raise_([7])


def test_file_counters_lose_no_raise_between_processes_and_threads(tmp_path):
    path = tmp_path / "counters"
    counters = caching.FileCounters(path)  # opened before the fork, as a preloading server would
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_raise_many, args=(str(path), 200)) for _ in range(3)]
    threads = [threading.Thread(target=lambda: [counters.raise_([7]) for _ in range(200)])]
    for worker in (*processes, *threads):
        worker.start()
    for worker in (*processes, *threads):
        worker.join()
    assert all(process.exitcode == 0 for process in processes)
    assert counters.read(7) == 800
    assert counters.read(8) == 0
