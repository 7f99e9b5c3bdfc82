"""Datasets: list, create (upload a file, or open an empty live feed), read, rename, delete,
re-run, adapt."""

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.api import bp
from emolytics.api.analyze import trained_model
from emolytics.api.idempotent import idempotent, record_key
from emolytics.api.inputs import file_refusals, json_body, require_content_type, uploaded_file
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import adaptation, datasets, ingest, intake, jobs, mixes
from emolytics.pipeline.datasets import Upload as UploadOrder
from emolytics.pipeline.formats import name_of_file
from emolytics.schemas.answers import Dataset, Datasets, Job, ListedDataset, Upload, job_json
from emolytics.schemas.errors import Refusal
from emolytics.schemas.files import UploadForm, named_columns
from emolytics.schemas.requests import Adaptation, NewFeed, NewName, Reanalysis
from emolytics.tables import Dataset as DatasetRow
from emolytics.tables import Role

NO_CONFIRMATION = (
    "Deletes at once, with no confirmation step and no undo: unlike the web pages, which ask "
    "for the name to be typed first, the API takes a DELETE from a token holder as meant."
)


def dataset_answer(dataset: DatasetRow) -> Dataset:
    """A dataset as the API shows it, with its latest analysis job (or null)."""
    return Dataset.of(dataset, jobs.latest(dataset.id))


@bp.get("/datasets")
@documented(
    Operation(
        "listDatasets",
        "Datasets",
        "List the team's datasets",
        replies={
            200: Reply(
                "The token's team's datasets, newest first, each at a glance as the home page "
                "shows it: its emotion mix, mean valence, latest text and recent alerts.",
                Datasets,
            )
        },
        errors=(401,),
    )
)
@current_team.requires(Role.VIEWER)
def list_datasets() -> ResponseReturnValue:
    team_id = current_team.team_id()
    found, glance = datasets.list_for(team_id), mixes.of_team(team_id)
    listed = [ListedDataset.listed(dataset, jobs.latest(dataset.id), glance) for dataset in found]
    return Datasets(datasets=listed).json()


@bp.post("/datasets")
@documented(
    Operation(
        "createDataset",
        "Datasets",
        "Upload a file, or open a live feed",
        description="Multipart: a file of texts, stored all-or-nothing and analysed at once "
        "(the dataset's `job`). JSON: an empty dataset to push texts to.",
        body={"multipart/form-data": UploadForm, "application/json": NewFeed},
        files={
            "file": "CSV, an Excel workbook or spreadsheet (.xlsx, .xls, .ods: the sheet named by "
            "`sheet`, else the first with a filled cell), "
            "JSON (an array of objects, "
            "or an object holding one), JSON Lines or "
            "plain text."
        },
        examples={
            "multipart/form-data": {
                "file": "reviews.csv",
                "name": "Reviews",
                "keywords": "tram,app",
            },
            "application/json": {"name": "Live feed", "keywords": ["tram", "delays"]},
        },
        replies={201: Reply("The new dataset.", Upload | Dataset, location=True)},
        errors=(400, 401, 403, 409, 413, 415, 422),
        idempotent=True,
    )
)
@current_team.requires(Role.ANALYST)
@idempotent
def create_dataset() -> ResponseReturnValue:
    """A file upload (multipart), analysed at once; or an empty live feed (JSON)."""
    mimetype = require_content_type("multipart/form-data", "application/json")
    answer = _upload() if mimetype == "multipart/form-data" else dataset_answer(_new_feed())
    request_audit.team_event("dataset.uploaded", named("dataset", answer.id, answer.name))
    return answer.json(), 201, {"Location": url_for("api.get_dataset", dataset_id=answer.id)}


def _upload() -> Upload:
    """The new dataset, with the encoding its file was read with."""
    uploaded = uploaded_file()
    form = UploadForm.read_args(request.form)
    order = UploadOrder(
        name=form.name or name_of_file(uploaded.filename),
        source="upload",
        columns=named_columns(vars(form)),
        keywords=form.keywords,
        skip_bad_rows=form.skip_bad_rows,
        sheet=form.sheet,
        added_by=current_user.id,
        mask_personal_data=form.mask_personal_data,
    )
    with file_refusals():
        dataset = intake.import_and_analyse(
            current_team.team_id(), order, uploaded.stream, uploaded.filename, record_key
        )
    encoding = ingest.file_encoding(uploaded.stream)
    return Upload.of(dataset, jobs.latest(dataset.id), encoding=encoding)


def _new_feed() -> DatasetRow:
    """An empty dataset the caller fills with `POST /datasets/<id>/texts`."""
    body = json_body(NewFeed)
    try:
        return datasets.create_feed(
            current_team.team_id(), body.name, body.keywords, record_key, body.mask_personal_data
        )
    except ValueError as error:
        raise Refusal(400, "invalid_keywords", str(error)) from error


@bp.get("/datasets/<int:dataset_id>")
@documented(
    Operation(
        "getDataset",
        "Datasets",
        "A dataset and its latest analysis",
        replies={200: Reply("The dataset.", Dataset)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def get_dataset(dataset_id: int) -> ResponseReturnValue:
    return dataset_answer(datasets.owned(current_team.team_id(), dataset_id)).json()


@bp.patch("/datasets/<int:dataset_id>")
@documented(
    Operation(
        "renameDataset",
        "Datasets",
        "Rename a dataset",
        description="Its texts, results, alerts and links stay as they are: they follow its id.",
        body={"application/json": NewName},
        examples={"application/json": {"name": "Tram reviews, March"}},
        replies={200: Reply("The dataset.", Dataset)},
        errors=(400, 401, 403, 404, 415),
    )
)
@current_team.requires(Role.ANALYST)
def rename_dataset(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    request_audit.team_event(*datasets.rename(dataset, json_body(NewName).name))
    return dataset_answer(dataset).json()


@bp.delete("/datasets/<int:dataset_id>")
@documented(
    Operation(
        "deleteDataset",
        "Datasets",
        "Delete a dataset with its texts, results and jobs",
        description=NO_CONFIRMATION,
        replies={204: Reply("Deleted.")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def delete_dataset(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    name = dataset.name
    jobs.delete_dataset(dataset)
    request_audit.team_event("dataset.deleted", named("dataset", dataset_id, name))
    return "", 204


@bp.post("/datasets/<int:dataset_id>/analyze")
@documented(
    Operation(
        "analyzeDataset",
        "Datasets",
        "Analyse a dataset again",
        description="With the default analyzer or one of the team's trained models; the numbers "
        "switch to the new analysis when it finishes. The body is optional.",
        body={"application/json": Reanalysis},
        body_required=False,
        examples={"application/json": {"model_id": None}},
        replies={202: Reply("The analysis job.", Job, location=True)},
        errors=(400, 401, 403, 404, 409, 415),
    )
)
@current_team.requires(Role.ANALYST)
def analyze_dataset(dataset_id: int) -> ResponseReturnValue:
    """Analyse every text again, with the default analyzer or one of the team's models."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    model_id = json_body(Reanalysis, optional=True).model_id
    if model_id is not None:
        trained_model(model_id)
    try:
        job = jobs.start_analysis(dataset, model_id)
    except jobs.JobError as error:
        raise Refusal(409, "no_texts", str(error)) from error
    return job_json(job), 202, {"Location": url_for("api.get_job", job_id=job.id)}


@bp.post("/datasets/<int:dataset_id>/adapt")
@documented(
    Operation(
        "adaptModel",
        "Datasets",
        "Adapt the dataset's model to its corrections",
        description="Starts a job that makes a new team model: the model of the dataset's current "
        "analysis, adapted to the labels the team corrected. The finished job names the model "
        "(`model_id`). The body is optional.",
        body={"application/json": Adaptation},
        body_required=False,
        examples={"application/json": {"name": "Tickets, adapted"}},
        replies={202: Reply("The adaptation job.", Job, location=True)},
        errors=(400, 401, 403, 404, 409, 415),
    )
)
@current_team.requires(Role.ANALYST)
def adapt_model(dataset_id: int) -> ResponseReturnValue:
    """Adapt the dataset's model to its corrections, as a job making a new model."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    name = json_body(Adaptation, optional=True).name
    try:
        job = adaptation.start(dataset, name, request_audit.actor())
    except adaptation.AdaptationRefused as error:
        raise Refusal(409, "cannot_adapt", str(error)) from error
    return job_json(job), 202, {"Location": url_for("api.get_job", job_id=job.id)}
