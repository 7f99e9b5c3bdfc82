"""Alembic environment for Emolytics: the app's engine and metadata, batch mode for SQLite."""

from alembic import context
from flask import current_app

migrate_extension = current_app.extensions["migrate"]
metadata = migrate_extension.db.metadata
options = {"render_as_batch": True, "compare_type": True, **migrate_extension.configure_args}


def run_offline() -> None:
    """Emit SQL to standard output instead of running it (`emolytics db upgrade --sql`)."""
    url = migrate_extension.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=metadata, literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    with migrate_extension.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
