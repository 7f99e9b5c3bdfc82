"""Training a team's model from a labeled CSV file or Excel workbook, as a job."""

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any

from sqlalchemy import select

from emolytics.accounts import audit
from emolytics.engine import artifacts, languages, spreadsheets
from emolytics.engine.errors import MissingColumn, TrainingDataError
from emolytics.engine.model import LinearModel
from emolytics.engine.training import check_columns, read_labeled_csv, train
from emolytics.extensions import db
from emolytics.pipeline.analysis import JobGone
from emolytics.tables import EmotionModel, Job, JobKind

MAX_TRAINING_BYTES = 50 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TRAINING_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES, ".json", ".jsonl", ".ndjson")
USE = (
    "Use a CSV file, a spreadsheet (.xlsx, .xls or .ods) or JSON (an array of objects, or JSON"
    " Lines)."
)


@dataclass(frozen=True)
class TrainingColumns:
    """Where a labeled file holds its texts and their labels (a workbook: on which sheet)."""

    text: str = "text"
    label: str = "label"
    sheet: str | None = None  # None: the first with a filled cell


class ModelNotFound(LookupError):
    """No such model in this team."""


class TrainingFileRefused(ValueError):
    """A training file refused on upload, before any job; the message is for the user."""

    def __init__(self, message: str, status: int = 400, column: str | None = None) -> None:
        super().__init__(message)
        self.status = status  # 413 for a file too large
        self.column = column  # "text" or "label": the column named for it is not in the file


def read_training_file(binary: IO[bytes], filename: str | None, columns: TrainingColumns) -> bytes:
    """The content of an uploaded labeled file (CSV, an Excel workbook, JSON), refused at once
    (TrainingFileRefused) when training could only fail on it later: neither, too large,
    empty, binary or broken text, no such sheet, or without the columns named for the texts
    and the labels."""
    text_column, label_column = columns.text, columns.label
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in TRAINING_SUFFIXES:
        raise TrainingFileRefused(USE)
    if text_column == label_column:
        message = "Choose two different columns for the texts and the labels."
        raise TrainingFileRefused(message, column="label")
    content = binary.read(MAX_TRAINING_BYTES + 1)
    if len(content) > MAX_TRAINING_BYTES:
        raise TrainingFileRefused("Training files are at most 50 MB.", 413)
    if suffix in WORKBOOK_SUFFIXES and not spreadsheets.is_workbook(content):
        raise TrainingFileRefused(f"This {suffix} file is not a spreadsheet that can be read.")
    try:
        check_columns(io.BytesIO(content), (text_column, label_column), columns.sheet)
    except MissingColumn as error:
        role = "text" if error.column == text_column else "label"
        found = ", ".join(repr(name) for name in error.header)
        where = f"Sheet {error.sheet!r}" if error.sheet else "The file"
        message = f"{where} has no column named {error.column!r} for the {role}s: it has {found}."
        raise TrainingFileRefused(message, column=role) from error
    except TrainingDataError as error:  # empty, binary, broken text or CSV, no such sheet
        raise TrainingFileRefused(_sentence(str(error))) from error
    return content


def _sentence(message: str) -> str:
    """The engine's message ("the file is empty (a header row is required)") as a sentence."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def owned(team_id: int, model_id: int) -> EmotionModel:
    model = db.session.scalar(
        select(EmotionModel).where(EmotionModel.id == model_id, EmotionModel.team_id == team_id)
    )
    if model is None:
        raise ModelNotFound(model_id)
    return model


def rename(model: EmotionModel, name: str) -> tuple[str, str]:
    """Give the model `name` (checked by the caller: 1 to 120 characters, trimmed); the audit
    log's action and target. The analyses made with it name it by its id, so they follow."""
    old, model.name = model.name, name
    db.session.commit()
    return "model.renamed", f'{audit.named("model", model.id, name)}, was "{old}"'


def making_job(model_id: int) -> Job | None:
    """The job that trained or adapted the model."""
    return db.session.scalar(
        select(Job)
        .where(Job.model_id == model_id, Job.kind.in_((JobKind.TRAINING, JobKind.ADAPTATION)))
        .order_by(Job.id.desc())
    )


def list_for(team_id: int) -> list[EmotionModel]:
    return list(
        db.session.scalars(
            select(EmotionModel)
            .where(EmotionModel.team_id == team_id)
            .order_by(EmotionModel.id.desc())
        )
    )


def trained(team_id: int) -> list[tuple[int, str]]:
    """(id, name) of the team's models that can analyse (their training has finished)."""
    rows = db.session.execute(
        select(EmotionModel.id, EmotionModel.name).where(
            EmotionModel.team_id == team_id, EmotionModel.artifact.is_not(None)
        )
    )
    return [(model_id, name) for model_id, name in rows]


def create_model(
    team_id: int, name: str, csv_bytes: bytes, columns: TrainingColumns
) -> EmotionModel:
    """A model row holding its training data until the training job has used it."""
    model = EmotionModel(
        team_id=team_id,
        name=name,
        training_csv=csv_bytes,
        text_column=columns.text,
        label_column=columns.label,
        training_sheet=columns.sheet,
    )
    db.session.add(model)
    db.session.commit()
    return model


def run(job: Job) -> None:
    """Choose the settings, cross-validate and fit; store the metrics (with the candidates the
    search tried), the languages of the training texts and the artifact; drop the training data.

    Raises the engine's TrainingDataError (shown to the user) for unusable data.
    """
    model = db.session.get(EmotionModel, job.model_id)
    if model is None or model.training_csv is None:
        raise JobGone(f"model of job {job.id}")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "training.csv"
        source.write_bytes(model.training_csv)
        texts, labels = read_labeled_csv(
            source, model.text_column, model.label_column, model.training_sheet
        )
        report = train(texts, labels)
    metrics = report.metrics()
    details = {
        "name": model.name,
        "languages": languages.main_languages(languages.detect(texts)),
        "selection": metrics["selection"],
        "label_bias": metrics["label_bias"],
    }
    made(model, report.model, details, "model.trained", by="training job")
    model.metrics = metrics
    model.training_rows = report.rows
    model.training_csv = None
    job.done = 1
    db.session.commit()


def made(
    model: EmotionModel, engine_model: LinearModel, details: dict[str, Any], action: str, by: str
) -> None:
    """Keep `engine_model` as `model`'s artifact (with `details`), labels and languages (the
    details' `languages`, as `emolytics train` records them), and record the `action` as the
    job's, named `by` (who started the job is in its `*_started` event)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "model.zip"
        artifacts.save_model(engine_model, target, details)
        model.artifact = target.read_bytes()
    model.labels = list(engine_model.labels)
    model.languages = details.get("languages")
    named = audit.named("model", model.id, model.name)
    audit.record(audit.Event(action, audit.Actor(None, by), model.team_id, named))
