"""A dataset's annotations on its page: note what happened when, delete a note (asked first).
The list is on the dashboard (`views.show`), the notes on its timeline (dashboard.js)."""

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics import current_team, request_audit
from emolytics.pipeline import annotations, datasets
from emolytics.pipeline.filters import labels_of
from emolytics.tables import Role
from emolytics.web.datasets import bp, filtering
from emolytics.web.datasets.forms import AnnotationForm, problem
from emolytics.web.datasets.removal import asked_removal


@bp.post("/<int:dataset_id>/annotations")
@login_required
@current_team.requires(Role.ANALYST)
def add_annotation(dataset_id: int) -> ResponseReturnValue:
    """Note the form's date, time and words, then back to the dashboard as it was filtered."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    filters = filtering.read(labels_of(dataset))
    back = url_for("datasets.show", dataset_id=dataset.id, **filters.as_args())
    form = AnnotationForm()
    if not form.validate_on_submit():
        flash(f"Nothing was noted: {problem(form)}", "error")
        return redirect(back)
    try:
        annotation = annotations.add(dataset, form.moment(), form.note.data, current_user.id)
    except annotations.AnnotationRefused as error:
        flash(f"Nothing was noted: {error}", "error")
        return redirect(back)
    request_audit.team_event("annotation.added", annotations.described_annotation(annotation))
    flash(f"Noted “{annotation.note}” on the timeline.", "success")
    return redirect(back)


@bp.route("/<int:dataset_id>/annotations/<int:annotation_id>/delete", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def delete_annotation(dataset_id: int, annotation_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    annotation = annotations.owned(dataset, annotation_id)
    return asked_removal(
        dataset,
        question=f"Delete the annotation “{annotation.note}”?",
        consequence=f"It leaves the timeline of {dataset.name} for the whole team.",
        button="Delete the annotation",
        remove=lambda: ("annotation.deleted", annotations.delete(dataset, annotation_id)),
        done=f"Deleted the annotation “{annotation.note}”.",
    )
