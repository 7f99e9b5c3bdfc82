"""The upload form's answers: a page without script, JSON for upload.js, which sends the form
itself so that a refusal keeps the chosen file, the preview and the column mapping."""

from typing import IO

from flask import jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue

from emolytics.engine import spreadsheets
from emolytics.engine.decoding import encoding_name
from emolytics.pipeline import formats, ingest
from emolytics.pipeline.datasets import Upload
from emolytics.pipeline.ingest import ColumnError, IngestError
from emolytics.pipeline.keywords import parse_keywords
from emolytics.schemas.requests import COLUMN_FIELDS, chosen_columns
from emolytics.tables import Dataset
from emolytics.web.datasets.forms import UploadForm
from emolytics.wording import plural


def upload_request(form: UploadForm) -> Upload:
    """The import the form asks for; ValueError for keywords that cannot be used."""
    return Upload(
        name=(form.name.data or "").strip() or formats.name_of_file(form.file.data.filename),
        source="upload",
        columns=chosen_columns(form.data),
        keywords=parse_keywords(form.keywords.data),
        skip_bad_rows=form.skip_bad_rows.data,
        sheet=form.sheet.data or None,
    )


def stored_message(dataset: Dataset, binary: IO[bytes]) -> str:
    """What the user is told of a stored upload: its texts, the encoding read, rows skipped."""
    skipped = f" {plural(dataset.skipped_count, 'unreadable row')} skipped." * bool(
        dataset.skipped_count
    )
    encoding = ingest.file_encoding(binary)
    encoding = spreadsheets.kind(binary) if encoding == ingest.WORKBOOK else encoding_name(encoding)
    return (
        f"{plural(dataset.row_count, 'text')} uploaded (read as {encoding}); "
        f"analysis started.{skipped}"
    )


def show_error(form: UploadForm, error: IngestError | ValueError) -> None:
    """Put `error` under the field it concerns: a column, the keywords or the file."""
    if isinstance(error, ColumnError):
        field = form[COLUMN_FIELDS[error.role]]
    elif isinstance(error, IngestError):
        field = form.file
    else:  # the keywords are the only other input that can be refused
        field = form.keywords
    field.errors.append(str(error))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def accepted(location: str) -> ResponseReturnValue:
    """The upload is stored: go to `location` (upload.js navigates there itself)."""
    return jsonify({"location": location}) if _wants_json() else redirect(location)


def form_page(form: UploadForm, status: int = 400) -> ResponseReturnValue:
    """The form again, with its errors and `status` if it was refused."""
    status = status if form.errors else 200
    if _wants_json():
        return jsonify({"errors": form.errors}), status
    return render_template("datasets/upload.html", form=form), status
