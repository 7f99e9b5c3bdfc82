"""A dataset's saved views on its page: save the dashboard's filters under a name, delete one
(asked first). The list itself is on the dashboard (`views.show`)."""

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics import current_team, request_audit
from emolytics.pipeline import datasets, saved_views
from emolytics.pipeline.filters import labels_of
from emolytics.tables import Role
from emolytics.web.datasets import bp, filtering
from emolytics.web.datasets.forms import SaveViewForm, problem
from emolytics.web.datasets.removal import asked_removal


@bp.post("/<int:dataset_id>/views")
@login_required
@current_team.requires(Role.ANALYST)
def save_view(dataset_id: int) -> ResponseReturnValue:
    """Save the filters of the address (the dashboard's) under the form's name, then back to
    that dashboard."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    filters = filtering.read(labels_of(dataset))
    form = SaveViewForm()
    back = url_for("datasets.show", dataset_id=dataset.id, **filters.as_args())
    if not form.validate_on_submit():
        flash(f"The view was not saved: {problem(form)}", "error")
        return redirect(back)
    try:
        view = saved_views.save(dataset, form.name.data, filters, current_user.id)
    except saved_views.ViewRefused as error:
        flash(f"The view was not saved: {error}", "error")
        return redirect(back)
    request_audit.team_event("view.saved", saved_views.described_view(view))
    flash(f"Saved the view “{view.name}”: the team finds it on this page.", "success")
    return redirect(back)


@bp.route("/<int:dataset_id>/views/<int:view_id>/delete", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def delete_view(dataset_id: int, view_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    view = saved_views.owned(dataset, view_id)
    return asked_removal(
        dataset,
        question=f"Delete the saved view “{view.name}”?",
        consequence="The team no longer finds it on the dataset's page. The dataset, its texts "
        "and results stay as they are.",
        button="Delete the view",
        remove=lambda: ("view.deleted", saved_views.delete(dataset, view_id)),
        done=f"Deleted the view “{view.name}”.",
    )
