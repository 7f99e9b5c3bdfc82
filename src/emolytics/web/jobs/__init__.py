"""/jobs: a job's progress (polled by the pages) and its cancellation."""

from flask import Blueprint, flash, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics.pipeline import jobs
from emolytics.schemas.answers import job_json

bp = Blueprint("jobs", __name__)


@bp.get("/<int:job_id>.json")
@login_required
def status(job_id: int) -> ResponseReturnValue:
    return jsonify(job_json(jobs.owned(current_user.id, job_id)))


@bp.post("/<int:job_id>/cancel")
@login_required
def cancel(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_user.id, job_id)
    if jobs.cancel(job):
        flash("The job is cancelled.", "success")
    else:
        flash("The job had already finished.", "info")
    if job.dataset_id is not None:
        return redirect(url_for("datasets.show", dataset_id=job.dataset_id))
    return redirect(url_for("models.show", model_id=job.model_id))
