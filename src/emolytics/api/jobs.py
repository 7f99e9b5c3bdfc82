"""Jobs (analyses, trainings, keyword tagging): list, follow, cancel."""

from flask.typing import ResponseReturnValue

from emolytics import current_team
from emolytics.api import bp
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import jobs
from emolytics.schemas.answers import Job, Jobs, job_json
from emolytics.schemas.errors import Refusal
from emolytics.tables import Role


@bp.get("/jobs")
@documented(
    Operation(
        "listJobs",
        "Jobs",
        "The team's 50 most recent jobs",
        replies={200: Reply("Newest first.", Jobs)},
        errors=(401,),
    )
)
@current_team.requires(Role.VIEWER)
def list_jobs() -> ResponseReturnValue:
    """The team's 50 most recent jobs, newest first."""
    return Jobs.model_validate({"jobs": jobs.list_for(current_team.team_id())}).json()


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
@current_team.requires(Role.VIEWER)
def get_job(job_id: int) -> ResponseReturnValue:
    return job_json(jobs.owned(current_team.team_id(), job_id))


@bp.post("/jobs/<int:job_id>/cancel")
@documented(
    Operation(
        "cancelJob",
        "Jobs",
        "Cancel a job",
        description="Running parts stop after their current chunk.",
        replies={200: Reply("The cancelled job.", Job)},
        errors=(401, 403, 404, 409),
    )
)
@current_team.requires(Role.ANALYST)
def cancel_job(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_team.team_id(), job_id)
    if not jobs.cancel(job):
        raise Refusal(409, "job_finished", f"The job has already finished ({job.status}).")
    return job_json(job)
