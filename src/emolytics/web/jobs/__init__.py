"""/jobs: a job's progress (polled by the pages) and its cancellation."""

from flask import Blueprint, flash, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team
from emolytics.pipeline import jobs
from emolytics.schemas.answers import job_json
from emolytics.tables import Role

bp = Blueprint("jobs", __name__)


@bp.get("/<int:job_id>.json")
@login_required
@current_team.requires(Role.VIEWER)
def status(job_id: int) -> ResponseReturnValue:
    return jsonify(job_json(jobs.owned(current_team.team_id(), job_id)))


@bp.post("/<int:job_id>/cancel")
@login_required
@current_team.requires(Role.ANALYST)
def cancel(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_team.team_id(), job_id)
    if jobs.cancel(job):
        flash("The job is cancelled.", "success")
    else:
        flash("The job had already finished.", "info")
    if job.dataset_id is not None:
        return redirect(url_for("datasets.show", dataset_id=job.dataset_id))
    return redirect(url_for("models.show", model_id=job.model_id))
