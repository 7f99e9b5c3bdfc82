"""Databases for one run (SQLite files in the run's temp dir, or fresh PostgreSQL databases
created for the run and dropped after it), and the users and tokens the load needs."""

import contextlib
import importlib
import os
import secrets
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from unittest import mock

import psycopg
from flask_migrate import upgrade
from psycopg import sql
from sqlalchemy.engine import make_url

from emolytics.accounts import registration, tokens
from emolytics.app import create_app
from emolytics.extensions import db

BENCH_DIR = Path(__file__).resolve().parent.parent
APPS = ("emolytics", "minimal")


@dataclass(frozen=True)
class Accounts:
    """What the load generator signs in with."""

    usernames: list[str]
    password: str
    token: str  # a bearer token of usernames[0]


@contextlib.contextmanager
def sqlite_databases(folder: Path) -> Iterator[dict[str, str]]:
    yield {app: f"sqlite:///{folder / app}.db" for app in APPS}


@contextlib.contextmanager
def postgres_databases(admin_url: str) -> Iterator[dict[str, str]]:
    """One fresh database per app, dropped when the block ends."""
    suffix = secrets.token_hex(4)
    names = {app: f"bench_{app}_{suffix}" for app in APPS}
    with psycopg.connect(admin_url, autocommit=True) as admin:
        created: list[str] = []
        try:
            for name in names.values():
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                created.append(name)
            base = make_url(admin_url).set(drivername="postgresql+psycopg")
            yield {
                app: base.set(database=name).render_as_string(hide_password=False)
                for app, name in names.items()
            }
        finally:
            for name in created:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                admin.execute(drop.format(sql.Identifier(name)))


def seed_emolytics(env: Mapping[str, str], usernames: list[str], password: str) -> Accounts:
    """Migrate the schema, register the users and give the first one an API token."""
    with mock.patch.dict(os.environ, env):
        app = create_app()
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        users = [registration.register(name, password) for name in usernames]
        token = tokens.create_token(users[0], "bench").secret
        db.engine.dispose()
    return Accounts(usernames, password, token)


def minimal_module() -> ModuleType:
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    return importlib.import_module("minimal_login_app")


def seed_minimal(env: Mapping[str, str], usernames: list[str], password: str) -> Accounts:
    minimal = minimal_module()
    with mock.patch.dict(os.environ, env):
        app = minimal.create_app()
    token = "bench_" + secrets.token_urlsafe(32)
    with app.app_context():
        minimal.db.create_all()
        for index, name in enumerate(usernames):
            user = minimal.User(username=name, password_hash=minimal.hasher.hash(password))
            user.token_hash = minimal.token_digest(token) if index == 0 else None
            minimal.db.session.add(user)
        minimal.db.session.commit()
        minimal.db.engine.dispose()
    return Accounts(usernames, password, token)
