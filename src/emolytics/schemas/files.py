"""The multipart fields that come with a file: an upload, a file added to a dataset, a
training file; and the columns they name."""

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, field_validator

from emolytics.pipeline.ingest import Columns
from emolytics.pipeline.keywords import WRITTEN, parse_keywords
from emolytics.schemas.fields import MAX_NAME_CHARS, Name
from emolytics.schemas.requests import MASK_DESCRIPTION, NO_NAME, Query, flag

FormColumn = Annotated[str | None, WithJsonSchema({"type": "string"})]


# Each column role of `ingest.Columns` and the upload field that names it, on the page's form
# and in the API's multipart fields alike.
COLUMN_FIELDS = {
    "text": "text_column",
    "posted_at": "time_column",
    "author": "author_column",
    "lat": "lat_column",
    "lon": "lon_column",
    "segment": "segment_column",
    "place": "place_column",
    "country": "country_column",
}


def named_columns(values: Mapping[str, Any]) -> Columns:
    """The columns named in a file's fields (None where a field is empty)."""
    return Columns(**{role: values.get(name) or None for role, name in COLUMN_FIELDS.items()})


def chosen_columns(values: Mapping[str, Any]) -> Columns | None:
    """The columns named in an upload's fields; None (no text column) lets the names decide."""
    chosen = named_columns(values)
    return chosen if chosen.text else None


class FileFields(Query):
    """How to read a file of texts (multipart, with the file as `file`): the fields an upload
    shares with adding a file to a dataset."""

    refusals = {"skip_bad_rows": ("invalid_parameter", "skip_bad_rows is true or false.")}

    text_column: FormColumn = Field(None, description="Default: guessed from the names.")
    time_column: FormColumn = None
    author_column: FormColumn = None
    lat_column: FormColumn = None
    lon_column: FormColumn = None
    segment_column: FormColumn = Field(
        None,
        description="A column of categories (a product, a channel, a store) to break the "
        "emotions down by. Default: none (never guessed).",
    )
    place_column: FormColumn = Field(
        None,
        description='A column of place names ("Lisbon", "Austin, TX", "Germany") that puts a '
        "text without lat and lon on the map. Default: guessed from the names (place, "
        "location, city, town).",
    )
    country_column: FormColumn = Field(
        None,
        description='A column of the place\'s country, state or province ("Paris" and "US": '
        'Paris, Texas; "London" and "ON": London, Ontario), or of the country alone. Default: '
        "guessed from the names (country; beside a place column, state or province).",
    )
    sheet: FormColumn = Field(
        None, description="A workbook's sheet to read. Default: the first with a filled cell."
    )
    skip_bad_rows: Annotated[
        bool,
        BeforeValidator(flag),
        WithJsonSchema({"type": "string", "enum": ["true", "false"]}),
    ] = Field(False, description="Skip unreadable rows instead of refusing the file.")


class AddFileFields(FileFields):
    """The fields of a file added to a dataset."""

    refusals = {**FileFields.refusals, "again": ("invalid_parameter", "again is true or false.")}

    again: Annotated[
        bool,
        BeforeValidator(flag),
        WithJsonSchema({"type": "string", "enum": ["true", "false"]}),
    ] = Field(
        False,
        description="Add the file even if the dataset has it already (the same bytes, and "
        "sheet): refused with 409 duplicate_file otherwise.",
    )


class UploadForm(FileFields):
    """The fields of a file upload (multipart, with the file as `file`)."""

    refusals = {
        **FileFields.refusals,
        "name": NO_NAME,
        "keywords": ("invalid_keywords", None),
        "mask_personal_data": ("invalid_parameter", "mask_personal_data is true or false."),
    }

    name: Name | None = Field(None, description="Default: the file's name, without its extension.")
    mask_personal_data: Annotated[
        bool,
        BeforeValidator(flag),
        WithJsonSchema({"type": "string", "enum": ["true", "false"]}),
    ] = Field(False, description=MASK_DESCRIPTION)
    keywords: Annotated[
        list[str],
        BeforeValidator(parse_keywords),
        WithJsonSchema(
            {"type": "string", "description": f"Keywords to track, comma-separated. {WRITTEN}"}
        ),
    ] = []


class TrainingForm(Query):
    """The fields of a training upload (multipart, with the labeled CSV as `file`)."""

    refusals = {
        "name": NO_NAME,
        "text_column": (
            "invalid_parameter",
            f"text_column is at most {MAX_NAME_CHARS} characters long.",
        ),
        "label_column": (
            "invalid_parameter",
            f"label_column is at most {MAX_NAME_CHARS} characters long.",
        ),
        "sheet": ("invalid_parameter", f"sheet is at most {MAX_NAME_CHARS} characters long."),
    }

    name: Name
    text_column: str = "text"
    label_column: str = "label"
    sheet: FormColumn = Field(
        None, description="A workbook's sheet to read. Default: the first with a filled cell."
    )

    @field_validator("text_column", "label_column", "sheet", mode="after")
    @classmethod
    def _short(cls, column: str | None) -> str | None:
        if column is not None and len(column) > MAX_NAME_CHARS:
            raise ValueError("too long")
        return column

    @field_validator("text_column", "label_column", mode="before")
    @classmethod
    def _trimmed(cls, column: Any, info: ValidationInfo) -> Any:
        """A blank column is the default one."""
        if not isinstance(column, str):
            return column
        return column.strip() or cls.model_fields[info.field_name or ""].default
