"""What API requests may say: JSON bodies, forms and query parameters, read into models.

A field that is wrong is refused with the code and message of the model's `refusals`; a batch
of texts lists every bad item by index.
"""

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

from emolytics.pipeline import text_pages
from emolytics.pipeline.ingest import (
    MAX_AUTHOR_CHARS,
    MAX_PLACE_CHARS,
    MAX_SEGMENT_CHARS,
    contains_nul,
    text_problem,
)
from emolytics.pipeline.keywords import MAX_KEYWORD_CHARS, MAX_KEYWORDS, WRITTEN
from emolytics.pipeline.retention import MAX_KEEP_DAYS
from emolytics.schemas.errors import Refusal, Refusing
from emolytics.schemas.fields import Name, OptionalId, TextField

MAX_TEXTS = 1000  # texts one `POST /analyze` may hold
MAX_BATCH = 10_000  # texts one push to a live feed may hold
MASK_DESCRIPTION = (
    "Store the dataset's texts, these and any added later, with their e-mail addresses, phone "
    "numbers, card and bank account numbers (IBAN) and IP addresses masked ([email], [phone], "
    "[card], [iban], [ip]) and their authors replaced by pseudonyms (the same author, the same "
    "pseudonym in the dataset); for good. Names in the texts are not found."
)
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}
MODEL_ID = "model_id is null or the id of a trained model."
NO_NAME = ("invalid_name", "Give a name (a non-empty string).")


class Body(Refusing):
    """A JSON object body: unknown fields are refused before any field is read."""

    model_config = ConfigDict(extra="forbid")


class Query(Refusing):
    """Query parameters (or form fields): the first value of each; empty ones are missing."""

    model_config = ConfigDict(extra="ignore")

    @classmethod
    def read_args(cls, args: Mapping[str, str]) -> Any:
        return cls.read({name: args[name] for name in cls.model_fields if args.get(name)})


# --- texts -------------------------------------------------------------------------------------


def check_batch_size(count: int, limit: int) -> None:
    if not count:
        raise Refusal(400, "no_texts", "The batch is empty: send at least one text.")
    if count > limit:
        raise Refusal(
            413, "too_many_texts", f"At most {limit:,} texts a call; this one has {count:,}."
        )


def refuse_items(bad: list[dict[str, Any]]) -> Refusal:
    """The refusal of a batch with `bad` items (`{"index", "reason"}`), listing them."""
    shown = "; ".join(f"#{item['index']}: {item['reason']}" for item in bad[:10])
    more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
    count = f"{len(bad)} item{'s' if len(bad) != 1 else ''}"
    message = f"{count} cannot be used, so nothing was stored or done: {shown}{more}."
    return Refusal(400, "invalid_items", message, bad)


def _texts(value: Any) -> list[str]:
    """A JSON array of 1 to MAX_TEXTS usable texts; Refusal listing every bad one by index."""
    if not isinstance(value, list):
        raise Refusal(400, "invalid_texts", "texts must be a JSON array of strings.")
    check_batch_size(len(value), MAX_TEXTS)
    bad = [
        {"index": index, "reason": reason}
        for index, text in enumerate(value)
        if (reason := text_problem(text)) is not None
    ]
    if bad:
        raise refuse_items(bad)
    return [text.strip() for text in value]


class AnalyzeBody(Body):
    refusals = {
        "texts": ("invalid_texts", "texts must be a JSON array of strings."),
        "explain": ("invalid_explain", "explain is true or false."),
        "model_id": ("invalid_model_id", MODEL_ID),
    }

    texts: Annotated[
        list[TextField], Field(min_length=1, max_length=MAX_TEXTS), BeforeValidator(_texts)
    ]
    explain: StrictBool = False
    model_id: OptionalId = Field(None, description="One of your trained models (null: default).")


class TextItem(Body):
    """A text pushed to a live feed, with its details."""

    text: TextField
    posted_at: str | float | None = Field(
        None,
        description="ISO 8601 or Unix seconds (also read: e-mail dates, Twitter's created_at, "
        "month names, numeric dates whose day and month order is certain, and numbers below "
        "2958466 as Excel's day numbers); naive means UTC; "
        "missing or null: the time the server received the push.",
    )
    author: str | None = Field(None, max_length=MAX_AUTHOR_CHARS)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    segment: str | None = Field(
        None,
        max_length=MAX_SEGMENT_CHARS,
        description="A category to break the texts down by: a product, a channel, a store.",
    )
    place: str | None = Field(
        None,
        max_length=MAX_PLACE_CHARS,
        description='A place\'s name ("Lisbon", "Austin, TX", "Germany"): where the text is '
        "on the map when lat and lon are missing (a city of 15,000 or more, a country or a US "
        "state; a name that names none is counted on the dataset, as `places_not_found`).",
    )
    country: str | None = Field(
        None,
        max_length=MAX_PLACE_CHARS,
        description='The place\'s country, or its state or province ("place": "Paris", "country": '
        '"US" is Paris, Texas; "London" and "ON" is London, Ontario), or the place itself when '
        "there is no `place`.",
    )


Batch = Annotated[list[TextField | TextItem], Field(min_length=1, max_length=MAX_BATCH)]


# --- datasets ----------------------------------------------------------------------------------


def _no_nul(keyword: str) -> str:
    if contains_nul(keyword):
        raise ValueError("NUL in a keyword")
    return keyword


Keyword = Annotated[
    StrictStr, AfterValidator(_no_nul), Field(json_schema_extra={"maxLength": MAX_KEYWORD_CHARS})
]


class NewFeed(Body):
    """An empty dataset to push texts to (the keywords are checked when it is made)."""

    refusals = {
        "name": NO_NAME,
        "keywords": ("invalid_keywords", "keywords is a JSON array of strings."),
        "mask_personal_data": ("invalid_parameter", "mask_personal_data is true or false."),
    }

    name: Name
    keywords: list[Keyword] = Field(
        [],
        description=f"Keywords to track. {WRITTEN}",
        json_schema_extra={"maxItems": MAX_KEYWORDS},
    )
    mask_personal_data: StrictBool = Field(False, description=MASK_DESCRIPTION)


class NewName(Body):
    """A name: a dataset's or a model's new one, or a saved view's."""

    refusals = {"name": NO_NAME}

    name: Name


class Retention(Body):
    """How long a dataset keeps its texts."""

    refusals = {
        "keep_days": (
            "invalid_parameter",
            f"keep_days is a whole number of days from 1 to {MAX_KEEP_DAYS:,}, or null (for ever).",
        )
    }

    keep_days: StrictInt | None = Field(
        ge=1,
        le=MAX_KEEP_DAYS,
        description="Keep each text this many days after its time, then delete it (texts "
        "without a time are kept); null: keep them for ever.",
    )


class Reanalysis(Body):
    refusals = {"model_id": ("invalid_model_id", MODEL_ID)}

    model_id: OptionalId = None


class Adaptation(Body):
    """Adapting a dataset's model to its corrections; the new model's name is optional."""

    refusals = {"name": NO_NAME}

    name: Name | None = None


def flag(value: Any) -> bool:
    """A query's or a form's yes or no (true, 1, yes, on; false, 0, no, off or empty)."""
    if str(value).lower() in TRUE_WORDS:
        return True
    if str(value).lower() in FALSE_WORDS:
        return False
    raise ValueError("not a flag")


# --- pages -------------------------------------------------------------------------------------


def _whole_number(value: Any) -> Any:
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise ValueError("not a whole number")
    return value


QueryNumber = Annotated[int, BeforeValidator(_whole_number)]


class PageQuery(Query):
    refusals = {
        name: ("invalid_parameter", f"{name} must be a whole number from 1 to {highest}.")
        for name, highest in (("page", MAX_PAGE), ("per_page", MAX_PER_PAGE))
    }

    per_page: QueryNumber = Field(text_pages.PAGE_SIZE, ge=1, le=MAX_PER_PAGE)
    page: QueryNumber = Field(1, ge=1, le=MAX_PAGE)
