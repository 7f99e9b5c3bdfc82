"""Deleting what a dataset's page lists (a saved view, an annotation): asked first, with a
button; confirmed, deleted, audited, and back to the dataset's page with a notice."""

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from emolytics import confirm, request_audit
from emolytics.tables import Dataset


def asked_removal(
    dataset: Dataset,
    question: str,
    consequence: str,
    button: str,
    remove: Callable[[], tuple[str, str]],
    done: str,
) -> ResponseReturnValue:
    """The question until a submitted form confirms it; then `remove()` (the audit log's action
    and target) and `done` as the notice."""
    form = FlaskForm()
    page = url_for("datasets.show", dataset_id=dataset.id)
    if not form.validate_on_submit():
        return confirm.ask(
            form, question=question, consequence=consequence, button=button, cancel_url=page
        )
    request_audit.team_event(*remove())
    flash(done, "success")
    return redirect(page)
