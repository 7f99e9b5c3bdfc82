"""A dataset's annotations as the API takes and answers them."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from emolytics.pipeline.annotations import COMPARED_DAYS, MAX_NOTE_CHARS, Listed
from emolytics.pipeline.ingest import contains_nul
from emolytics.schemas.answers import Answer, Filters
from emolytics.schemas.fields import Timestamp
from emolytics.schemas.requests import Body

AT = "at is an ISO 8601 date or time: 2026-02-22 or 2026-02-22T06:00Z (UTC unless it says)."
NOTE = f"note is what happened: 1 to {MAX_NOTE_CHARS} characters, without NUL."


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(AT)
    return datetime.fromisoformat(value.strip())


def _note(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or contains_nul(value):
        raise ValueError(NOTE)
    return value.strip()


class AnnotationBody(Body):
    refusals = {"at": ("invalid_at", AT), "note": ("invalid_note", NOTE)}

    at: Annotated[
        datetime,
        BeforeValidator(_moment),
        WithJsonSchema({"type": "string", "format": "date-time"}),
    ] = Field(description="When it happened: a day (its midnight, UTC) or a time.")
    note: Annotated[str, BeforeValidator(_note), Field(max_length=MAX_NOTE_CHARS)] = Field(
        description="What happened, as the timeline shows it."
    )


class AnnotationAnswer(Answer):
    id: int
    at: Timestamp = Field(description="When it happened (UTC, to the minute).")
    note: str
    noted_by: str | None = Field(description="Who noted it (null: the account is gone).")
    created_at: Timestamp
    days_after: Filters = Field(
        description=f"The date filters of the {COMPARED_DAYS} days after it, from its hour: "
        f"the summary with them compares those days with the {COMPARED_DAYS} before."
    )

    @classmethod
    def of(cls, listed: Listed) -> "AnnotationAnswer":
        annotation = listed.annotation
        return cls(
            id=annotation.id,
            at=annotation.at,
            note=annotation.note,
            noted_by=listed.noted_by,
            created_at=annotation.created_at,
            days_after=listed.after,
        )


class Annotations(Answer):
    annotations: list[AnnotationAnswer]
