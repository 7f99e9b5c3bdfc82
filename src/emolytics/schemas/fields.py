"""Field types the requests and answers share: ids, names, texts, times."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, Strict, WithJsonSchema
from typing_extensions import TypeAliasType

from emolytics.pipeline.ingest import MAX_TEXT_CHARS, contains_nul
from emolytics.schemas.errors import Refusal

MAX_ID = 2**31 - 1  # ids are 32-bit integers in every table
MAX_NAME_CHARS = 120
# What `text_problem` and the names accept: at least one character other than white space.
NOT_BLANK = r"\S"
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1}

Id = Annotated[int, Strict(), Field(ge=1), WithJsonSchema(ID_SCHEMA)]
OptionalId = Annotated[
    int | None, Strict(), Field(ge=1), WithJsonSchema({**ID_SCHEMA, "type": ["integer", "null"]})
]


def _name(value: Any) -> str:
    """A dataset or model name: a string of 1 to 120 characters, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise Refusal(400, "invalid_name", "Give a name (a non-empty string).")
    name = value.strip()
    if len(name) > MAX_NAME_CHARS or contains_nul(name):
        raise Refusal(
            400, "invalid_name", f"Names are at most {MAX_NAME_CHARS} characters, without NUL."
        )
    return name


Name = Annotated[
    str,
    Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=NOT_BLANK),
    BeforeValidator(_name),
]
TextField = TypeAliasType(
    "TextField",
    Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS, pattern=NOT_BLANK)],
)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


Timestamp = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
