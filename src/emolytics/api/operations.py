"""What each API view takes and answers, declared next to it with `@documented`: the OpenAPI
document is generated from these declarations and the models they name."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Reply:
    """One documented answer: its description, its shape (None: no body) in each of its media
    types, and whether a `Location` header points to what it made."""

    description: str
    shape: Any = None
    location: bool = False
    media_types: tuple[str, ...] = ("application/json",)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    tag: str
    summary: str
    replies: dict[int, Reply]
    errors: tuple[int, ...] = ()
    description: str = ""
    # media type -> the shape of the body (a model or any type pydantic can describe)
    body: dict[str, Any] = field(default_factory=dict)
    body_required: bool = True
    examples: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # multipart file fields: description
    query: tuple[type[BaseModel], ...] = ()
    idempotent: bool = False
    public: bool = False


def documented(operation: Operation) -> Callable[[View], View]:
    """Attach `operation` to the view, for the document (the view is otherwise unchanged)."""

    def attach(view: View) -> View:
        view.openapi = operation  # type: ignore[attr-defined]
        return view

    return attach
