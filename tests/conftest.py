"""Shared fixtures in the flaskr style: app, client, runner, auth, api.

The default run needs no server: each test gets a fresh SQLite database and in-memory rate
limits. With TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL set, the same tests run against a
database created for this run (dropped at the end) and Redis rate limits under a key prefix of
this run (deleted at the end).
"""

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from emolytics import config
from emolytics.accounts import registration, tokens
from emolytics.accounts.audit import Actor
from emolytics.app import create_app
from emolytics.cli import cli
from emolytics.extensions import db

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
RUN_ID = uuid.uuid4().hex[:10]
# fixtures of their own modules: `feeds` (an RSS server), `smtp` (a local SMTP server),
# `receiver` (a webhook receiver), `clock` and `totp_app` (an app whose authenticator codes'
# clock the test sets)
pytest_plugins = [
    "tests.feed_server",
    "tests.mailbox",
    "tests.notifications.receiver",
    "tests.totp_clock",
]
CSRF_PATTERN = re.compile(r'type="hidden" name="csrf_token" value="([^"]+)"')  # `csrf_field()`


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of this run's own on the PostgreSQL server, migrated once."""
    if not POSTGRES_URL:
        yield None
        return
    from flask_migrate import upgrade

    server = make_url(config._driver_url(POSTGRES_URL))
    name = f"emolytics_test_{RUN_ID}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            db.engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _delete_redis_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def redis_prefix() -> Iterator[str | None]:
    """A Redis key prefix of this run's own; its keys are deleted at the end.

    One prefix for the run: Flask-Limiter keeps the prefix of the first app it serves.
    """
    if not REDIS_URL:
        yield None
        return
    prefix = f"emolytics-test-{RUN_ID}"
    yield prefix
    _delete_redis_keys(prefix)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated once; each test gets a copy."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "emolytics.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    return path


def _clean_tables() -> None:
    tables = ", ".join(table.name for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app_factory(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str | None,
    redis_prefix: str | None,
    sqlite_template: Path,
) -> Iterator:
    """Build apps on this test's database; `app_factory(**overrides)` gives another app."""
    for variable in config.ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("EMOLYTICS_INSTANCE_PATH", str(tmp_path / "instance"))
    if not postgres_url:
        shutil.copy(sqlite_template, tmp_path / "test.db")
    base = {
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "JOB_QUEUE": "inline",
        "DATABASE_URL": postgres_url or f"sqlite:///{tmp_path / 'test.db'}",
    }
    if redis_prefix:
        _delete_redis_keys(redis_prefix)  # each test starts with no rate-limit history
        base["RATELIMIT_STORAGE_URI"] = REDIS_URL
        base["RATELIMIT_KEY_PREFIX"] = redis_prefix
        base["REDIS_PREFIX"] = redis_prefix
    built: list[Flask] = []

    def build(**overrides: object) -> Flask:
        app = create_app({**base, **overrides})
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory, postgres_url: str | None) -> Flask:
    app = app_factory()
    with app.app_context():
        if postgres_url:
            _clean_tables()
        registration.register("ada", PASSWORD)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class CliRunner:
    """Runs the `emolytics` command against the test app."""

    def __init__(self, app: Flask) -> None:
        self.runner: FlaskCliRunner = app.test_cli_runner()

    def invoke(self, args: list[str], input: str | None = None) -> Result:
        return self.runner.invoke(cli, args, input=input)


@pytest.fixture
def runner(app: Flask) -> CliRunner:
    return CliRunner(app)


def team_of(username: str) -> int:
    """The id of `username`'s personal team (inside an app context)."""
    from emolytics.accounts import teams

    return teams.personal_seat(registration.find_user(username).id).team_id


def join_team(team_id: int, username: str, role: str) -> None:
    """Make `username` a member of `team_id` with `role` ("viewer"...), as the teams pages
    would (inside an app context)."""
    from emolytics import caching
    from emolytics.accounts import teams
    from emolytics.tables import Membership, Role

    user = registration.find_user(username)
    membership = db.session.get(Membership, (team_id, user.id))
    if membership is None:
        membership = Membership(team_id=team_id, user_id=user.id)
        db.session.add(membership)
    membership.role = Role.named(role)
    caching.changed_after_commit(db.session, [teams.seats_guard(user.id)])
    db.session.commit()


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form at `url`, as a browser would read it."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_PATTERN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def register(
        self, username: str, password: str = PASSWORD, confirm: str | None = None
    ) -> TestResponse:
        form = {"username": username, "password": password, "confirm": confirm or password}
        return self.post("/register", form)

    def login(
        self,
        username: str = "ada",
        password: str = PASSWORD,
        *,
        remember: bool = False,
        next_url: str | None = None,
    ) -> TestResponse:
        form = {"username": username, "password": password}
        if remember:
            form["remember"] = "y"
        url = "/login" if next_url is None else f"/login?next={next_url}"
        return self.post(url, form, token_from="/login")

    def logout(self) -> TestResponse:
        return self.post("/logout", {}, token_from="/logout")

    def reauthenticate(self, password: str = PASSWORD) -> TestResponse:
        return self.post("/reauthenticate", {"password": password})

    def post(self, url: str, form: dict[str, str], token_from: str | None = None) -> TestResponse:
        """POST `form` to `url` with the CSRF token of the page at `token_from` (default: url)."""
        form = {**form, "csrf_token": csrf_token(self.client, token_from or url.split("?")[0])}
        return self.client.post(url, data=form)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


class ApiClient:
    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, url: str, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.get(
            url, headers={"Authorization": f"Bearer {self.token}", **(headers or {})}
        )


@pytest.fixture
def api(app: Flask) -> ApiClient:
    """An API client holding a bearer token of ada's (and no cookies)."""
    with app.app_context():
        created = tokens.create_token(registration.find_user("ada"), "tests")
    return ApiClient(app.test_client(), created.secret)


SETUP = Actor(None, "test setup")  # who makes what a test sets up in the app directly
