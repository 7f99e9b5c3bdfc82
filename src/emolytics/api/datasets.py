"""Datasets: list, create (upload a file, or open an empty live feed), read, delete, re-run."""

from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from emolytics.api import bp
from emolytics.api.analyze import trained_model
from emolytics.api.idempotent import idempotent, record_key
from emolytics.api.inputs import (
    Refusal,
    clean_name,
    json_object,
    model_id_field,
    require_content_type,
)
from emolytics.models import Dataset
from emolytics.pipeline import datasets, ingest, intake, jobs
from emolytics.pipeline.datasets import Upload, UploadRefused
from emolytics.pipeline.ingest import Columns, IngestError, contains_nul
from emolytics.pipeline.keywords import parse_keywords
from emolytics.pipeline.quotas import QuotaExceeded

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


def dataset_dict(dataset: Dataset) -> dict[str, Any]:
    """A dataset as the API shows it, with its latest analysis job (or null)."""
    job = jobs.latest(dataset.id)
    return {
        "id": dataset.id,
        "name": dataset.name,
        "source": dataset.source,
        "keywords": dataset.keywords,
        "row_count": dataset.row_count,
        "skipped_count": dataset.skipped_count,
        "skipped_rows": [{"line": line, "reason": reason} for line, reason in dataset.skipped_rows],
        "columns": dataset.column_map,
        "created_at": dataset.created_at.isoformat(),
        "current_job_id": dataset.current_job_id,
        "job": jobs.as_dict(job) if job else None,
    }


@bp.get("/datasets")
def list_datasets() -> ResponseReturnValue:
    return {"datasets": [dataset_dict(dataset) for dataset in datasets.list_for(current_user.id)]}


@bp.post("/datasets")
@idempotent
def create_dataset() -> ResponseReturnValue:
    """A file upload (multipart), analysed at once; or an empty live feed (JSON)."""
    mimetype = require_content_type("multipart/form-data", "application/json")
    if mimetype == "multipart/form-data":
        dataset, encoding = _upload()
        answer = {**dataset_dict(dataset), "encoding": encoding}
    else:
        dataset = _new_feed()
        answer = dataset_dict(dataset)
    return answer, 201, {"Location": url_for("api.get_dataset", dataset_id=dataset.id)}


def _upload() -> tuple[Dataset, str]:
    """The new dataset, and the encoding its file was read with."""
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        raise Refusal(400, "no_file", "Send the texts as the multipart field 'file'.")
    form = request.form
    try:
        upload = Upload(
            name=clean_name(form.get("name")),
            source="upload",
            columns=_columns(form),
            keywords=parse_keywords(form.get("keywords", "")),
            skip_bad_rows=_flag(form.get("skip_bad_rows", ""), "skip_bad_rows"),
        )
    except ValueError as error:
        raise Refusal(400, "invalid_keywords", str(error)) from error
    try:
        dataset = intake.import_and_analyse(
            current_user.id, upload, uploaded.stream, uploaded.filename, record_key
        )
    except UploadRefused as error:
        raise Refusal(400, "unreadable_rows", str(error)) from error
    except IngestError as error:
        raise Refusal(400, "unreadable_file", str(error)) from error
    except QuotaExceeded as error:
        raise Refusal(413, error.code, str(error)) from error
    return dataset, ingest.file_encoding(uploaded.stream)


def _columns(form: MultiDict[str, str]) -> Columns | None:
    """The columns the caller named; None lets the column names decide."""
    chosen = Columns(
        text=form.get("text_column") or None,
        posted_at=form.get("time_column") or None,
        author=form.get("author_column") or None,
        lat=form.get("lat_column") or None,
        lon=form.get("lon_column") or None,
    )
    return chosen if chosen.text else None


def _flag(value: str, name: str) -> bool:
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise Refusal(400, "invalid_parameter", f"{name} is true or false.")


def _new_feed() -> Dataset:
    """An empty dataset the caller fills with `POST /datasets/<id>/texts`."""
    body = json_object({"name", "keywords"})
    name = clean_name(body.get("name"))
    keywords = body.get("keywords", [])
    if not isinstance(keywords, list) or not all(
        isinstance(keyword, str) and not contains_nul(keyword) for keyword in keywords
    ):
        raise Refusal(400, "invalid_keywords", "keywords is a JSON array of strings.")
    try:
        return datasets.create_feed(current_user.id, name, keywords, record_key)
    except ValueError as error:
        raise Refusal(400, "invalid_keywords", str(error)) from error


@bp.get("/datasets/<int:dataset_id>")
def get_dataset(dataset_id: int) -> ResponseReturnValue:
    return dataset_dict(datasets.owned(current_user.id, dataset_id))


@bp.delete("/datasets/<int:dataset_id>")
def delete_dataset(dataset_id: int) -> ResponseReturnValue:
    jobs.delete_dataset(datasets.owned(current_user.id, dataset_id))
    return "", 204


@bp.post("/datasets/<int:dataset_id>/analyze")
def analyze_dataset(dataset_id: int) -> ResponseReturnValue:
    """Analyse every text again, with the default analyzer or one of the caller's models."""
    dataset = datasets.owned(current_user.id, dataset_id)
    model_id = model_id_field(json_object({"model_id"}, optional=True).get("model_id"))
    if model_id is not None:
        trained_model(model_id)
    try:
        job = jobs.start_analysis(dataset, model_id)
    except jobs.JobError as error:
        raise Refusal(409, "no_texts", str(error)) from error
    return jobs.as_dict(job), 202, {"Location": url_for("api.get_job", job_id=job.id)}
