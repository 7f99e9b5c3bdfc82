"""A job's progress (polled by the pages) and its cancellation.

They answer under /jobs/, inside the datasets blueprint for now (endpoints `datasets.job_status`
and `datasets.cancel_job`): renaming blueprints and URLs is a step of its own.
"""

from flask import flash, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics.pipeline import jobs
from emolytics.schemas.answers import job_json
from emolytics.web.datasets import bp


@bp.get("/jobs/<int:job_id>.json")
@login_required
def job_status(job_id: int) -> ResponseReturnValue:
    return jsonify(job_json(jobs.owned(current_user.id, job_id)))


@bp.post("/jobs/<int:job_id>/cancel")
@login_required
def cancel_job(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_user.id, job_id)
    if jobs.cancel(job):
        flash("The job is cancelled.", "success")
    else:
        flash("The job had already finished.", "info")
    if job.dataset_id is not None:
        return redirect(url_for("datasets.show", dataset_id=job.dataset_id))
    return redirect(url_for("models.show", model_id=job.model_id))
