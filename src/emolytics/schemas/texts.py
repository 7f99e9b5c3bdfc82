"""The texts endpoint: what its query may say (a page, by number or after a cursor; the order;
whether to explain each label), and a text as the API answers it."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from emolytics.pipeline import text_cursors
from emolytics.schemas.answers import Answer, Filters, Reason
from emolytics.schemas.fields import Timestamp
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


class Text(Answer):
    id: int
    line: int = Field(
        description="Its number in its file (a line; see the file's `numbered`), or its place "
        "in the live feed."
    )
    text: str
    posted_at: Timestamp | None
    author: str | None
    lat: float | None
    lon: float | None
    segment: str | None = Field(
        description="Its category from the file's segment column (a product, a channel, a "
        "store), or the live feed's `segment`; null: none."
    )
    language: str | None = Field(
        description="The language detected (ISO 639-1; `und`: undetermined, e.g. too short or "
        "emoji only). Null: analysed before languages were detected."
    )
    label: str | None = Field(
        description="The final label: a member's correction where there is one, else the "
        "model's. Null when the text was not scored and not corrected."
    )
    model_label: str | None = Field(
        description="The model's own label (the same as `label` unless corrected). Null when "
        "the model did not score the text."
    )
    corrected: bool = Field(description="A member of the team set the text's label.")
    not_scored: Literal["language"] | None = Field(
        description="`language`: the model does not read the text's language, so it gave no "
        "label, confidence, valence or scores."
    )
    confidence: float | None = Field(description="The model's score for its own label.")
    valence: float | None
    scores: dict[str, float]
    reasons: list[Reason] | None = Field(
        None,
        description="With `explain=true`: why the model gave its label, `model_label` (else null).",
    )
    terms_favour: str | None = Field(
        None,
        description="With `explain=true`: the label the text's terms alone favour, when the "
        "model's lean before any term (its intercepts) made `model_label` win instead (else null).",
    )


class Texts(Answer):
    texts: list[Text]


class TextsPage(Answer):
    texts: list[Text]
    page: int | None = Field(description="Null for a page asked for by `cursor`.")
    pages: int
    per_page: int
    total: int
    capped: bool = Field(
        description="A text search (q) counts 1,000 matches at most: true when more texts "
        "match than `total`."
    )
    next_cursor: str | None = Field(
        description="Pass it as `cursor` (with the same filters and sort) for the next page; "
        "null on the last page."
    )
    filters: Filters = Field(description="The filters applied, as query parameters.")
