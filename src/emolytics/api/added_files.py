"""A dataset's files: listed, a file's texts added (`POST /datasets/<id>/files`) or taken out
again."""

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.api import bp
from emolytics.api.datasets import dataset_answer
from emolytics.api.idempotent import idempotent, record_key
from emolytics.api.inputs import file_refusals, require_content_type, uploaded_file
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import added_files, dataset_files, datasets, ingest
from emolytics.schemas.answers import Job, SkippedRow
from emolytics.schemas.dataset_files import DatasetFile, DatasetFiles, FileAdded, FileRemoved
from emolytics.schemas.errors import Refusal
from emolytics.schemas.files import AddFileFields, named_columns
from emolytics.tables import Role


@bp.get("/datasets/<int:dataset_id>/files")
@documented(
    Operation(
        "listFiles",
        "Datasets",
        "The files a dataset's texts came from",
        description="The upload that made the dataset and each file added since (texts of the "
        "live feed, and those stored before files were recorded, have none).",
        replies={200: Reply("The first stored first.", DatasetFiles)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_files(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    listed = dataset_files.listed(dataset.id)
    return DatasetFiles(files=[DatasetFile.of(item) for item in listed]).json()


@bp.post("/datasets/<int:dataset_id>/files")
@documented(
    Operation(
        "addFile",
        "Datasets",
        "Add a file's texts to a dataset",
        description="The texts of a file (the kinds an upload reads), stored all-or-nothing "
        "after the dataset's. Each column is read from the one of the name the dataset's texts "
        "came from when the file has it, else guessed as an upload's are; a column named in "
        "the fields wins. The dataset is then analysed again with the model of its analysis "
        "(its corrections stay), or the analysis under way takes them in: `job`. To add a few "
        "texts at a time, analysed at once, push them to `/datasets/{dataset_id}/texts`. "
        "The same file (bytes and sheet) a second time is refused with 409 `duplicate_file` "
        "unless `again` is true.",
        body={"multipart/form-data": AddFileFields},
        files={"file": "CSV, an Excel workbook or spreadsheet, JSON, JSON Lines or plain text."},
        examples={"multipart/form-data": {"file": "reviews-april.csv"}},
        replies={201: Reply("The texts added, and the analysis that analyses them.", FileAdded)},
        errors=(400, 401, 403, 404, 409, 413, 415, 422),
        idempotent=True,
    )
)
@current_team.requires(Role.ANALYST)
@idempotent
def add_file(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    require_content_type("multipart/form-data")
    uploaded = uploaded_file()
    form = AddFileFields.read_args(request.form)
    with file_refusals():
        added = added_files.add_file(
            dataset,
            uploaded.stream,
            uploaded.filename,
            named_columns(vars(form)),
            form.sheet,
            form.skip_bad_rows,
            record_key,
            again=form.again,
            user_id=current_user.id,
        )
    request_audit.team_event("dataset.file_added", named("dataset", dataset.id, dataset.name))
    answer = FileAdded(
        file=DatasetFile.of(added.file),
        added=added.added,
        skipped_count=added.skipped,
        skipped_rows=[
            SkippedRow.of(row.line, row.reason, added.file.file.numbered)
            for row in added.skipped_rows
        ],
        columns=added.columns.as_dict(),
        encoding=ingest.file_encoding(uploaded.stream),
        job=Job.model_validate(added.job),
        dataset=dataset_answer(dataset),
    )
    return answer.json(), 201


@bp.delete("/datasets/<int:dataset_id>/files/<int:file_id>")
@documented(
    Operation(
        "removeFile",
        "Datasets",
        "Take a file's texts out of a dataset",
        description="Its texts go, with their results, keyword tags and the team's corrections "
        "of them; the dataset's counts, map and exports show the rest at once (no new "
        "analysis). Refused with 409 while an analysis of the dataset is under way, or when "
        "they are all of its texts (delete the dataset instead).",
        replies={200: Reply("What was taken out.", FileRemoved)},
        errors=(401, 403, 404, 409),
    )
)
@current_team.requires(Role.ANALYST)
def remove_file(dataset_id: int, file_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    try:
        removed = added_files.remove(dataset, file_id)
    except added_files.RemovalRefused as error:
        raise Refusal(409, "removal_refused", str(error)) from error
    request_audit.team_event(
        "dataset.file_removed", f"{removed.file} of {named('dataset', dataset.id, dataset.name)}"
    )
    answer = FileRemoved(
        removed=removed.texts, corrections=removed.corrections, dataset=dataset_answer(dataset)
    )
    return answer.json()
