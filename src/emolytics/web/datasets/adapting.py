"""Adapting the dataset's model to its corrections: a job that makes a new team model."""

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team, request_audit
from emolytics.pipeline import adaptation, datasets
from emolytics.tables import Role
from emolytics.web.datasets import bp
from emolytics.web.datasets.forms import AdaptForm


@bp.post("/<int:dataset_id>/adapt")
@login_required
@current_team.requires(Role.ANALYST)
def adapt(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    form = AdaptForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("datasets.show", dataset_id=dataset.id))
    try:
        job = adaptation.start(
            dataset, (form.name.data or "").strip() or None, request_audit.actor()
        )
    except adaptation.AdaptationRefused as error:
        flash(str(error), "error")
        return redirect(url_for("datasets.show", dataset_id=dataset.id))
    flash("Adapting started: the new model appears in Models when the job is done.", "success")
    return redirect(url_for("models.show", model_id=job.model_id))
