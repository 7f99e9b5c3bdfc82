"""Jobs (analyses, trainings, keyword tagging): list, follow, cancel."""

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.api import bp
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import jobs
from emolytics.schemas.answers import Job, Jobs, job_json
from emolytics.schemas.errors import Refusal


@bp.get("/jobs")
@documented(
    Operation(
        "listJobs",
        "Jobs",
        "Your 50 most recent jobs",
        replies={200: Reply("Newest first.", Jobs)},
        errors=(401,),
    )
)
def list_jobs() -> ResponseReturnValue:
    """The caller's 50 most recent jobs, newest first."""
    return Jobs.model_validate({"jobs": jobs.list_for(current_user.id)}).json()


@bp.get("/jobs/<int:job_id>")
@documented(
    Operation(
        "getJob",
        "Jobs",
        "A job's status and progress",
        replies={200: Reply("The job.", Job)},
        errors=(401, 404),
    )
)
def get_job(job_id: int) -> ResponseReturnValue:
    return job_json(jobs.owned(current_user.id, job_id))


@bp.post("/jobs/<int:job_id>/cancel")
@documented(
    Operation(
        "cancelJob",
        "Jobs",
        "Cancel a job",
        description="Running parts stop after their current chunk.",
        replies={200: Reply("The cancelled job.", Job)},
        errors=(401, 404, 409),
    )
)
def cancel_job(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_user.id, job_id)
    if not jobs.cancel(job):
        raise Refusal(409, "job_finished", f"The job has already finished ({job.status}).")
    return job_json(job)
