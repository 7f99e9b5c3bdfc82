"""Masking the personal data of a dataset's stored texts."""

from flask import url_for
from flask.typing import ResponseReturnValue

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.api import bp
from emolytics.api.datasets import dataset_answer
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, personal_data
from emolytics.schemas.answers import Dataset, Job, job_json
from emolytics.schemas.errors import Refusal
from emolytics.tables import Role


@bp.post("/datasets/<int:dataset_id>/mask")
@documented(
    Operation(
        "maskDataset",
        "Datasets",
        "Mask the personal data of the dataset's texts",
        description="From now on, every text the dataset is given is stored with its e-mail "
        "addresses, phone numbers, card and bank account numbers and IP addresses masked and "
        "its author a pseudonym; the texts it has are masked in place by a job, then analysed "
        "again. Cannot be undone: the texts as they were are not kept. No body.",
        replies={
            202: Reply("The masking job.", Job, location=True),
            200: Reply("The dataset, which has no texts yet: nothing to mask now.", Dataset),
        },
        errors=(401, 403, 404, 409),
    )
)
@current_team.requires(Role.ANALYST)
def mask_dataset(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    try:
        job = personal_data.start_masking(dataset)
    except personal_data.MaskingRefused as error:
        raise Refusal(409, "masked_already", str(error)) from error
    request_audit.team_event("dataset.masked", named("dataset", dataset.id, dataset.name))
    if job is None:
        return dataset_answer(dataset).json(), 200
    return job_json(job), 202, {"Location": url_for("api.get_job", job_id=job.id)}
