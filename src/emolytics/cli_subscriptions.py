"""`emolytics subscriptions read`: read the subscribed feeds now, printing what each added."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from emolytics.extensions import db
from emolytics.pipeline import subscriptions
from emolytics.tables import Dataset
from emolytics.wording import plural


@click.group()
def subscriptions_group() -> None:
    """Datasets' subscriptions to RSS and Atom feeds."""


@subscriptions_group.command("read")
@click.option(
    "--dataset", "dataset_id", type=click.IntRange(min=1), help="Only this dataset's feeds."
)
@with_appcontext
def read(dataset_id: int | None) -> None:
    """Read every subscribed feed now (as the schedule does each SUBSCRIPTION_MINUTES), print
    what each read added or why it failed; exit 1 when any failed."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    if dataset_id is not None and db.session.get(Dataset, dataset_id) is None:
        raise click.ClickException(f"No dataset {dataset_id}.")
    found = subscriptions.every(dataset_id)
    failed = 0
    for done, subscription in enumerate(found, start=1):
        said = f"[{done}/{len(found)}] subscription {subscription.id} (dataset "
        said += f"{subscription.dataset_id}) {subscription.url}: "
        read = subscriptions.read(subscription)
        if subscription.problem:
            failed += 1
            click.echo(said + f"failed: {subscription.problem}")
        else:
            click.echo(said + f"{plural(read.added, 'text')} added")
    click.echo(f"Read {plural(len(found), 'feed')}: {failed:,} failed.")
    if failed:
        raise SystemExit(1)
