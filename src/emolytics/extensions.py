"""Flask extensions, created unbound here and bound to an app in `app.create_app`."""

import sqlite3

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that Alembic migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


SQLITE_BUSY_TIMEOUT_MS = 10_000  # how long a write waits for SQLite's one write lock


def tune_sqlite(app: Flask) -> None:
    """On `app`'s SQLite engines (bound by `db.init_app`), set up each new connection: foreign
    keys enforced (cascading deletes), readers working beside a writer, and `holds_folded` (a
    search for words beyond ASCII, whatever their case: see `pipeline.search`). Other engines
    of the process, and PostgreSQL, are left alone."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, connection_record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
    dbapi_connection.create_function("holds_folded", 2, _holds_folded, deterministic=True)


def _holds_folded(text: str | None, folded: str) -> bool | None:
    """Whether `text` holds `folded` (already case-folded) in any case: "Über" holds "über"."""
    return None if text is None else folded in text.casefold()
