"""The one shape of an API error, `{"error": {"code", "message"}}`, and the exception that
carries it from wherever a request is turned down to the answer."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ITEMS_LISTED = 100  # bad items listed in a refusal; all of them are counted


class BadItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int
    reason: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Stable, for programs.")
    message: str = Field(description="For people.")
    items: list[BadItem] | None = Field(
        None, description=f"The bad items of a batch (the first {ITEMS_LISTED})."
    )


class Error(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


def error_body(code: str, message: str, items: list[dict[str, Any]] | None = None) -> Any:
    """The JSON of an error; `items` only when the refusal lists some."""
    detail = ErrorDetail(code=code, message=message, items=items)
    return Error(error=detail).model_dump(exclude_none=True)


class Refusal(Exception):
    """A request the API turns down with `status`, `code` and `message`.

    `items` lists the bad items of a batch by index, when there are some.
    """

    def __init__(
        self, status: int, code: str, message: str, items: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.items = None if items is None else items[:ITEMS_LISTED]


class Refusing(BaseModel):
    """A request model that says how each of its fields is refused: `refusals` maps a field to
    its error code and message (None: the message its validator gave)."""

    refusals: ClassVar[dict[str, tuple[str, str | None]]] = {}

    @classmethod
    def read(cls, values: Any) -> Any:
        """The model of `values`; a 400 Refusal naming the first field that is wrong."""
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            code, message = cls.refusals[str(first["loc"][0])]
            if message is None:
                message = str(first["ctx"]["error"])
            raise Refusal(400, code, message) from error
