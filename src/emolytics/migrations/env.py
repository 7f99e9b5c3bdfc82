"""Alembic environment for Emolytics: the app's engine and metadata, batch mode for SQLite."""

from alembic import context
from flask import current_app

from emolytics.pipeline.search_index import autogenerate_compares

migrate_extension = current_app.extensions["migrate"]
metadata = migrate_extension.db.metadata
options = {
    "render_as_batch": True,
    "compare_type": True,
    "include_name": autogenerate_compares,
    **migrate_extension.configure_args,
}


def run_offline() -> None:
    """Emit SQL to standard output instead of running it (`emolytics db upgrade --sql`)."""
    url = migrate_extension.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=metadata, literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    with migrate_extension.db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by dropping it; with foreign keys on, SQLite would
            # first delete its rows and cascade that to the tables referring to it. The pragma
            # only takes effect outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=metadata, **options)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
