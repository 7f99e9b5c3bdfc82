"""What the texts endpoint's query may say: a page (by number or after a cursor), the order,
and whether to explain each label."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from emolytics.pipeline import text_cursors
from emolytics.schemas.requests import PageQuery, flag


class TextsQuery(PageQuery):
    refusals = {
        **PageQuery.refusals,
        "explain": ("invalid_parameter", "explain is true or false."),
        "sort": ("invalid_parameter", f"sort is one of {', '.join(text_cursors.ORDERS)}."),
        "cursor": ("invalid_cursor", "cursor is a `next_cursor` of an earlier page."),
    }

    sort: Literal["newest", "oldest", "negative", "positive", "unsure"] = Field(
        "newest", description="Newest or oldest, most negative or positive, least confident first."
    )
    explain: Annotated[
        bool,
        BeforeValidator(flag),
        WithJsonSchema({"type": "string", "enum": ["true", "false"]}),
    ] = Field(False, description="Add each text's reasons: why it has its label (slower).")
    cursor: str | None = Field(
        None,
        max_length=400,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The `next_cursor` of the page before, with the same `sort`: the page "
        "right after its last text, however many texts arrived since (`page` is then left "
        "out). Deep pages come as fast as the first.",
    )
