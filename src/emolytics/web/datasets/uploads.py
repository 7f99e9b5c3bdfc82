"""The upload form's answers: a page without script, JSON for upload.js, which sends the form
itself so that a refusal keeps the chosen file, the preview and the column mapping."""

from typing import IO

from flask import jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.engine import spreadsheets
from emolytics.engine.decoding import encoding_name
from emolytics.pipeline import formats, ingest
from emolytics.pipeline.added_files import AddedFile
from emolytics.pipeline.datasets import Upload
from emolytics.pipeline.ingest import ColumnError, IngestError
from emolytics.pipeline.keywords import parse_keywords
from emolytics.schemas.files import COLUMN_FIELDS, named_columns
from emolytics.tables import Dataset
from emolytics.web.datasets.forms import FileForm, UploadForm
from emolytics.wording import plural


def upload_request(form: UploadForm) -> Upload:
    """The import the form asks for; ValueError for keywords that cannot be used."""
    return Upload(
        name=(form.name.data or "").strip() or formats.name_of_file(form.file.data.filename),
        source="upload",
        columns=named_columns(form.data),
        keywords=parse_keywords(form.keywords.data),
        skip_bad_rows=form.skip_bad_rows.data,
        sheet=form.sheet.data or None,
        added_by=current_user.id,
        mask_personal_data=form.mask_personal_data.data,
    )


def stored_message(dataset: Dataset, binary: IO[bytes]) -> str:
    """What the user is told of a stored upload: its texts, the encoding read, rows skipped,
    places not found."""
    skipped = f" {plural(dataset.skipped_count, 'unreadable row')} skipped." * bool(
        dataset.skipped_count
    )
    unknown = ""
    if unplaced := (dataset.unplaced or {}).get("texts", 0):
        unknown = f" The places of {plural(unplaced, 'text')} were not found for the map."
    return (
        f"{plural(dataset.row_count, 'text')} uploaded (read as {_read_as(binary)}); "
        f"analysis started.{skipped}{unknown}"
    )


# What each column holds, as a sentence names it
ROLE_NAMES = {
    "text": "texts",
    "posted_at": "times",
    "author": "authors",
    "lat": "latitudes",
    "lon": "longitudes",
    "segment": "segments",
    "place": "places",
    "country": "countries",
}


def added_message(added: AddedFile, filename: str, binary: IO[bytes]) -> str:
    """What the user is told of a file added to a dataset: its texts, the encoding and the
    columns read, the analysis, and the first rows skipped."""
    read = "; ".join(
        f"{ROLE_NAMES[role]} from “{column}”"
        for role, column in added.columns.as_dict().items()
        if column
    )
    skipped = ""
    if added.skipped:
        numbered = added.file.file.numbered
        shown = ", ".join(f"{numbered} {row.line} ({row.reason})" for row in added.skipped_rows[:3])
        more = " and more" * (added.skipped > 3)
        skipped = f" {plural(added.skipped, 'unreadable row')} skipped: {shown}{more}."
    return (
        f"{plural(added.added, 'text')} added from {filename} (read as {_read_as(binary)}; "
        f"{read}); {_analysed(added)}.{skipped}"
    )


def _read_as(binary: IO[bytes]) -> str:
    """The file's kind of workbook (an Excel workbook), or its encoding's name."""
    encoding = ingest.file_encoding(binary)
    return spreadsheets.kind(binary) if encoding == ingest.WORKBOOK else encoding_name(encoding)


def _analysed(added: AddedFile) -> str:
    """How the added texts are analysed: by a new analysis, or the one under way."""
    if added.restarted:
        return "the dataset is analysed again, with them"
    return "the analysis under way takes them in before it ends"


def show_error(form: FileForm, error: IngestError | ValueError) -> None:
    """Put `error` under the field it concerns: a column, the keywords or the file."""
    if isinstance(error, ColumnError):
        field = form[COLUMN_FIELDS[error.role]]
    elif isinstance(error, IngestError):
        field = form.file
    else:  # the keywords (of an upload) are the only other input that can be refused
        field = form["keywords"]
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
