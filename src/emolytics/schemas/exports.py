"""What an export of a dataset's results may ask for: its format, and where to start."""

from typing import Literal

from pydantic import Field

from emolytics.schemas.fields import MAX_ID
from emolytics.schemas.requests import Query, QueryNumber


class ExportQuery(Query):
    refusals = {
        "format": ("invalid_parameter", "format is jsonl, csv or xlsx."),
        "after_id": ("invalid_parameter", f"after_id must be a whole number from 0 to {MAX_ID}."),
    }

    format: Literal["jsonl", "csv", "xlsx"] = Field(
        "jsonl",
        description="JSON Lines (one object per text), CSV (a score column per label) or an "
        "Excel workbook (xlsx: the CSV's columns, typed).",
    )
    after_id: QueryNumber = Field(
        0,
        ge=0,
        le=MAX_ID,
        description="Only the texts added after the one with this id: to read a live feed's "
        "results as they come, pass the last id you read.",
    )
