"""Deleting a dataset: the user types its name first, since its texts and results go with it."""

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import confirm, current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.confirm import ConfirmNameForm
from emolytics.pipeline import datasets, jobs
from emolytics.tables import Role
from emolytics.web.datasets import bp
from emolytics.wording import plural


@bp.route("/<int:dataset_id>/delete", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def delete(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    name = dataset.name
    form = ConfirmNameForm()
    if not form.confirms(name):
        return confirm.ask(
            form,
            question=f"Delete the dataset {name!r}?",
            consequence=f"Its {plural(dataset.row_count, 'text')}, their results and its analyses "
            "are deleted with it. This cannot be undone.",
            button="Delete this dataset",
            cancel_url=url_for("datasets.show", dataset_id=dataset.id),
            name=name,
        )
    jobs.delete_dataset(dataset)
    request_audit.team_event("dataset.deleted", named("dataset", dataset_id, name))
    flash(f"Deleted the dataset {name!r} with its texts and results.", "success")
    return redirect(url_for("dashboard.home"))
