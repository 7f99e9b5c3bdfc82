"""The OpenAPI 3.1 document of API v1, generated from the operations declared on the views
(`@documented`) and the pydantic models they name; `GET /openapi.json` serves it.

Pydantic's JSON Schema is draft 2020-12, the dialect of OpenAPI 3.1, so the models' schemas go
into the document as they are. The tests check it against the views with schemathesis.
"""

import re
from typing import Any

from flask import Flask, current_app
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode
from werkzeug.routing import Rule

from emolytics import __version__
from emolytics.api import bp
from emolytics.api.operations import Operation, Reply, documented
from emolytics.schemas.errors import Error
from emolytics.schemas.fields import ID_SCHEMA, MAX_ID

Schema = dict[str, Any]

SERVER = "/api/v1"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
TAGS = ("Account", "Analysis", "Datasets", "Live feed", "Subscriptions", "Reports", "Saved views")
TAGS += ("Annotations",)
TAGS += ("Corrections", "Alerts", "Jobs", "Models", "Teams")
TAGS += ("Documentation",)  # the reference page lists it last
STATUS_TEXTS = {
    400: "The request cannot be used; `error.message` says why.",
    401: "No usable bearer token (`WWW-Authenticate: Bearer`).",
    403: "The token's user has too low a role in the team for this (`forbidden`; "
    "`error.message` says which role it needs), or the token has the read scope and this is "
    "not a GET (`read_only_token`).",
    404: "No such resource, or it belongs to a team the token's user is not a member of.",
    409: "The request conflicts with the resource's state.",
    410: "No longer usable (an invitation used, revoked or expired).",
    413: "Too many texts in one call or upload (`too_many_texts`), more than the team may "
    "store (`storage_full`), or a file larger than the server accepts.",
    422: "The `Idempotency-Key` was used for a different request.",
    415: "The Content-Type is not one this operation reads.",
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID, say) to make a retry safe: the same key from "
    "you within 24 hours gets the first answer again (with `Idempotent-Replayed: true`) and "
    "stores nothing new; the key with a different request gets 422, and a retry while the "
    "first request is still being answered gets 409.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}
LOCATION = {"Location": {"description": "Where to follow it.", "schema": {"type": "string"}}}
DESCRIPTION = f"""\
Emotion analytics over HTTP. Authenticate every call (except this document and its reference \
page) with `Authorization: Bearer <token>`; create tokens on your account's API tokens page. \
A token works in one team, with the role its user holds there now (viewer: read; analyst: \
also upload, push, analyse, train, cancel, delete), and a `read` token may only GET. \
Errors are JSON: `{{"error": {{"code": "...", "message": "..."}}}}`. Ids of other teams' \
datasets, jobs and models answer 404, like ids that do not exist. Ids above {MAX_ID} do not \
exist."""


class _Untitled(GenerateJsonSchema):
    """Pydantic's schemas without a title on every property (the names say it)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


class _Shapes:
    """The schemas of every body and answer, generated together so that models become shared
    components (`#/components/schemas/Name`)."""

    def __init__(self) -> None:
        self.wanted: list[tuple[int, JsonSchemaMode, Any]] = []

    def want(self, shape: Any, mode: JsonSchemaMode) -> int:
        self.wanted.append((len(self.wanted), mode, TypeAdapter(shape).core_schema))
        return len(self.wanted) - 1

    def generate(self) -> tuple[dict[int, Schema], dict[str, Schema]]:
        generator = _Untitled(ref_template="#/components/schemas/{model}")
        found, components = generator.generate_definitions(self.wanted)
        return {key: schema for (key, _), schema in found.items()}, components


def document(app: Flask | None = None) -> dict[str, Any]:
    """The document of every `api.` route of `app` (the current app by default)."""
    app = app or current_app
    shapes = _Shapes()
    error = shapes.want(Error, "serialization")
    pending = [
        (_path(rule), method.lower(), rule, app.view_functions[rule.endpoint].openapi)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in HTTP_METHODS
        if method in (rule.methods or ())
    ]
    wanted = [_wanted(operation, shapes) for *_, operation in pending]
    found, components = shapes.generate()
    paths: dict[str, dict[str, Any]] = {}
    for (path, method, rule, operation), keys in zip(pending, wanted, strict=True):
        item = paths.setdefault(path, _path_item(rule))
        item[method] = _operation(operation, keys, found, components)
    responses = {
        f"E{status}": {
            "description": text,
            "content": {"application/json": {"schema": found[error]}},
        }
        for status, text in STATUS_TEXTS.items()
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Emolytics API", "version": __version__, "description": DESCRIPTION},
        "servers": [{"url": SERVER}],
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in TAGS],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from the account's API tokens page.",
                }
            },
            "schemas": components,
            "responses": responses,
        },
    }


def _path(rule: Rule) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(SERVER))


def _path_item(rule: Rule) -> dict[str, Any]:
    """The path's own parameters: the ids in it (and any other part, a string)."""
    ids = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": f"The {name.removesuffix('_id')}'s id."
            if name.endswith("_id")
            else f"The {name}.",
            "schema": ID_SCHEMA if name.endswith("_id") else {"type": "string", "minLength": 1},
        }
        for name in sorted(rule.arguments)
    ]
    return {"parameters": ids} if ids else {}


def _wanted(operation: Operation, shapes: _Shapes) -> dict[str, int]:
    """The keys of the operation's shapes: bodies by media type, replies by status."""
    keys = {
        media_type: shapes.want(shape, "validation")
        for media_type, shape in operation.body.items()
        if media_type != "multipart/form-data"
    }
    for status, reply in operation.replies.items():
        if reply.shape is not None:
            keys[str(status)] = shapes.want(reply.shape, "serialization")
    return keys


def _operation(
    operation: Operation,
    keys: dict[str, int],
    found: dict[int, Schema],
    components: dict[str, Schema],
) -> Schema:
    described: Schema = {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": operation.summary,
    }
    if operation.description:
        described["description"] = operation.description
    if operation.public:
        described["security"] = []
    parameters = [param for model in operation.query for param in _query_parameters(model)]
    if operation.idempotent:
        parameters.append(IDEMPOTENCY_KEY)
    if parameters:
        described["parameters"] = parameters
    if operation.body:
        described["requestBody"] = {
            "required": operation.body_required,
            "content": {
                media_type: _media(
                    operation,
                    media_type,
                    _body(operation, media_type, shape, keys, found, components),
                )
                for media_type, shape in operation.body.items()
            },
        }
    described["responses"] = {
        **{
            str(status): _reply(reply, found.get(keys.get(str(status), -1)))
            for status, reply in operation.replies.items()
        },
        **{
            str(status): {"$ref": f"#/components/responses/E{status}"}
            for status in operation.errors
        },
    }
    return described


def _body(
    operation: Operation,
    media_type: str,
    shape: Any,
    keys: dict[str, int],
    found: dict[int, Schema],
    components: dict[str, Schema],
) -> Schema:
    """A body's schema, written out (a model's fields show where the operation is read)."""
    if media_type == "multipart/form-data":
        return _form(shape, operation.files)
    schema = found[keys[media_type]]
    return components[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema


def _media(operation: Operation, media_type: str, schema: Schema) -> Schema:
    media: Schema = {"schema": schema}
    if media_type in operation.examples:
        media["example"] = operation.examples[media_type]
    return media


def _form(model: type[BaseModel], files: dict[str, str]) -> Schema:
    """A multipart form: its file fields, then the model's fields."""
    fields = model.model_json_schema(schema_generator=_Untitled)
    uploads = {
        name: {"type": "string", "format": "binary", "description": text}
        for name, text in files.items()
    }
    return {
        "type": "object",
        "properties": {
            **uploads,
            **{name: _no_empty_default(field) for name, field in fields["properties"].items()},
        },
        "required": [*uploads, *fields.get("required", [])],
    }


def _no_empty_default(schema: Schema) -> Schema:
    """The schema without a default that only stands for "not given"."""
    if schema.get("default", True) in (None, "", [], False):
        return {key: value for key, value in schema.items() if key != "default"}
    return schema


def _query_parameters(model: type[BaseModel]) -> list[Schema]:
    properties = model.model_json_schema(schema_generator=_Untitled)["properties"]
    parameters = []
    for name, schema in properties.items():
        described = {
            key: value for key, value in schema.items() if key not in ("default", "description")
        }
        parameter = {"name": name, "in": "query", "schema": described}
        if "description" in schema:
            parameter["description"] = schema["description"]
        parameters.append(parameter)
    return parameters


def _reply(reply: Reply, schema: Schema | None) -> Schema:
    answer: Schema = {"description": reply.description}
    if schema is not None:
        answer["content"] = {media_type: {"schema": schema} for media_type in reply.media_types}
    if reply.location:
        answer["headers"] = LOCATION
    return answer


@bp.get("/openapi.json")
@documented(
    Operation(
        "openapi",
        "Documentation",
        "This document",
        replies={200: Reply("OpenAPI 3.1.", dict[str, Any])},
        public=True,
    )
)
def openapi_document() -> ResponseReturnValue:
    return document()
