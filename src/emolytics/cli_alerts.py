"""`emolytics alerts check`: judge the alert rules' due windows now, printing what was judged."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from emolytics.alerts import Verdict
from emolytics.extensions import db
from emolytics.pipeline import alert_checks
from emolytics.tables import Dataset

PROGRESS_EVERY = 100  # rules between progress lines


@click.group()
def alerts_group() -> None:
    """Spike alerts."""


@alerts_group.command("check")
@click.option(
    "--dataset", "dataset_id", type=click.IntRange(min=1), help="Only this dataset's rules."
)
@with_appcontext
def check(dataset_id: int | None) -> None:
    """Judge every enabled rule's complete windows not judged yet, now (as the schedule does
    every minute), and print each window's verdict."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    if dataset_id is not None and db.session.get(Dataset, dataset_id) is None:
        raise click.ClickException(f"No dataset {dataset_id}.")
    judged = alert_checks.check(dataset_id, on_progress=_progress)
    for item in judged:
        click.echo(f"rule {item.rule_id} (dataset {item.dataset_id}) {_verdict(item)}")
    raised = sum(1 for item in judged if item.alert_id is not None)
    click.echo(f"Judged {len(judged):,} windows: {raised:,} alerts.")


def _progress(done: int, total: int) -> None:
    if done % PROGRESS_EVERY == 0 or (done == total and total > PROGRESS_EVERY):
        click.echo(f"  {done:,} of {total:,} rules judged", err=True)


def _verdict(judged: alert_checks.Judged) -> str:
    verdict: Verdict = judged.verdict
    window = f"{verdict.window.start:%Y-%m-%d %H:%M}–{verdict.window.end:%H:%M} UTC"
    if verdict.reason is not None:
        return f"{window}: not judged ({verdict.reason})"
    numbers = f"observed {verdict.observed:.4g}, expected {verdict.expected:.4g}"
    if verdict.ratio is not None:
        numbers += f" ({verdict.ratio:.2g} times)"
    numbers += f", p = {verdict.p_value:.2g}"
    if judged.alert_id is not None:
        return f"{window}: ALERT {judged.alert_id}, {verdict.direction}: {numbers}"
    if judged.cooling_down:
        return f"{window}: unusual but cooling down: {numbers}"
    if verdict.alert:
        return f"{window}: unusual, stored already by another process: {numbers}"
    return f"{window}: usual: {numbers}"
