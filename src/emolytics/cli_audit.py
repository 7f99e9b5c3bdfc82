"""`emolytics audit`: the audit log's retention, run now; and how the other commands record what
an administrator did."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from emolytics.accounts import audit
from emolytics.extensions import db
from emolytics.tables import utcnow

COMMAND_LINE = audit.Actor(None, "command line")  # who does what the `emolytics` command does


def record_command(action: str, target: str) -> None:
    """Record and commit what an administrator did with the `emolytics` command (no signed-in
    user, no address)."""
    audit.record(audit.Event(action, COMMAND_LINE, target=target))
    db.session.commit()


@click.group()
def audit_group() -> None:
    """The audit log."""


@audit_group.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help="Keep this many days of events (default: AUDIT_RETENTION_DAYS).",
)
@with_appcontext
def prune(days: int | None) -> None:
    """Delete audit events older than the retention period now, printing the running count."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    days = days or current_app.config["AUDIT_RETENTION_DAYS"]
    if days <= 0:
        raise click.ClickException("AUDIT_RETENTION_DAYS is 0 (keep forever): give --days.")
    cutoff = utcnow() - timedelta(days=days)
    click.echo(f"Deleting audit events before {cutoff:%Y-%m-%d %H:%M} UTC ({days} days)…")
    deleted = audit.prune(cutoff, on_progress=lambda done: click.echo(f"  {done:,} deleted"))
    click.echo(f"Deleted {deleted:,} audit events.")
