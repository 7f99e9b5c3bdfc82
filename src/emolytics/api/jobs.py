"""Jobs (analyses, trainings, keyword tagging): list, follow, cancel."""

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.api import bp
from emolytics.api.inputs import Refusal
from emolytics.pipeline import jobs


@bp.get("/jobs")
def list_jobs() -> ResponseReturnValue:
    """The caller's 50 most recent jobs, newest first."""
    return {"jobs": [jobs.as_dict(job) for job in jobs.list_for(current_user.id)]}


@bp.get("/jobs/<int:job_id>")
def get_job(job_id: int) -> ResponseReturnValue:
    return jobs.as_dict(jobs.owned(current_user.id, job_id))


@bp.post("/jobs/<int:job_id>/cancel")
def cancel_job(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_user.id, job_id)
    if not jobs.cancel(job):
        raise Refusal(409, "job_finished", f"The job has already finished ({job.status}).")
    return jobs.as_dict(job)
