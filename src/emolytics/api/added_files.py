"""A file's texts added to a dataset: `POST /datasets/<id>/files`."""

from flask import request
from flask.typing import ResponseReturnValue

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.api import bp
from emolytics.api.datasets import dataset_answer
from emolytics.api.idempotent import idempotent, record_key
from emolytics.api.inputs import file_refusals, require_content_type, uploaded_file
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import added_files, datasets, ingest
from emolytics.schemas.answers import FileAdded, Job, SkippedRow
from emolytics.schemas.files import FileFields, named_columns
from emolytics.tables import Role


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
        "texts at a time, analysed at once, push them to `/datasets/{dataset_id}/texts`.",
        body={"multipart/form-data": FileFields},
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
    form = FileFields.read_args(request.form)
    with file_refusals():
        added = added_files.add_file(
            dataset,
            uploaded.stream,
            uploaded.filename,
            named_columns(vars(form)),
            form.sheet,
            form.skip_bad_rows,
            record_key,
        )
    request_audit.team_event("dataset.file_added", named("dataset", dataset.id, dataset.name))
    answer = FileAdded(
        added=added.added,
        skipped_count=added.skipped,
        skipped_rows=[SkippedRow(line=row.line, reason=row.reason) for row in added.skipped_rows],
        columns=added.columns.as_dict(),
        encoding=ingest.file_encoding(uploaded.stream),
        job=Job.model_validate(added.job),
        dataset=dataset_answer(dataset),
    )
    return answer.json(), 201
