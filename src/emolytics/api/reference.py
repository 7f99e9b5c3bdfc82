"""`GET /reference`: the OpenAPI document as a readable page, with a curl example per call."""

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from emolytics.api import bp, operations
from emolytics.api.openapi import document

METHODS = ("get", "post", "put", "patch", "delete")  # in the order each path lists them
EXAMPLE_ID = "1"
PATH_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Body:
    media_type: str
    schema: str
    example: str | None


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: Markup
    public: bool
    parameters: list[dict[str, Any]]
    bodies: list[Body]
    responses: list[tuple[str, Markup, str]]  # status, description, schema
    curl: str


@bp.get("/reference")
@operations.documented(
    operations.Operation(
        "reference",
        "Documentation",
        "This document as a readable page",
        replies={200: operations.Reply("HTML.", str, media_types=("text/html",))},
        public=True,
    )
)
def reference() -> ResponseReturnValue:
    spec = document()
    base = request.url_root.rstrip("/") + spec["servers"][0]["url"]
    sections: dict[str, list[Operation]] = {tag["name"]: [] for tag in spec["tags"]}
    errors = spec["components"]["responses"]
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                operation = _operation(path, method, item, base, errors)
                sections[item[method]["tags"][0]].append(operation)
    schemas = {name: _fields(schema) for name, schema in spec["components"]["schemas"].items()}
    intro = marked(spec["info"]["description"])
    return render_template(
        "api/reference.html", spec=spec, intro=intro, sections=sections, schemas=schemas
    )


def marked(text: str) -> Markup:
    """A description as HTML: escaped, with its `code` spans in <code> (an unpaired backtick
    stays as it is)."""
    parts = escape(text).split("`")
    if len(parts) % 2 == 0:
        return escape(text)
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if index % 2 else part
        for index, part in enumerate(parts)
    )


def _operation(
    path: str, method: str, item: dict[str, Any], base: str, errors: dict[str, Any]
) -> Operation:
    operation = item[method]
    parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
    content = operation.get("requestBody", {}).get("content", {})
    public = operation.get("security") == []
    return Operation(
        anchor=operation["operationId"],
        method=method.upper(),
        path=path,
        summary=operation["summary"],
        description=marked(operation.get("description", "")),
        public=public,
        parameters=[_parameter(parameter) for parameter in parameters],
        bodies=[_body(media_type, media) for media_type, media in content.items()],
        responses=[
            _response(status, errors.get(response.get("$ref", "").rsplit("/", 1)[-1], response))
            for status, response in operation["responses"].items()
        ],
        curl=_curl(method, base + path, content, public),
    )


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": parameter["name"],
        "in": parameter["in"],
        "type": type_name(parameter["schema"]),
        "required": "yes" if parameter.get("required") else "no",
        "description": marked(parameter.get("description", "")),
    }


def _body(media_type: str, media: dict[str, Any]) -> Body:
    example = media.get("example")
    if example is not None and not isinstance(example, str):
        example = json.dumps(example, indent=2, ensure_ascii=False)
    return Body(media_type, type_name(media["schema"]), example)


def _response(status: str, response: dict[str, Any]) -> tuple[str, Markup, str]:
    """Status, description and the body's type (a file's media types: `text/csv or ...`)."""
    content = response.get("content", {})
    description = marked(response["description"])
    if not content:
        return status, description, ""
    if "application/json" in content:
        return status, description, type_name(content["application/json"]["schema"])
    *others, last = content
    return status, description, f"{', '.join(others)} or {last}" if others else last


def type_name(schema: dict[str, Any]) -> str:
    """A short, readable name for a JSON Schema: `Dataset`, `array of Job`, `integer or null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        return " or ".join(type_name(option) for option in alternatives)
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    kinds = schema.get("type", "any")
    if isinstance(kinds, list):
        return " or ".join(type_name({**schema, "type": kind}) for kind in kinds)
    if kinds == "array" and "prefixItems" in schema:
        return "[" + ", ".join(type_name(item) for item in schema["prefixItems"]) + "]"
    if kinds == "array":
        return "array of " + type_name(schema.get("items", {}))
    if kinds == "object" and "properties" in schema:
        fields = (f"{name}: {type_name(field)}" for name, field in schema["properties"].items())
        return "object {" + ", ".join(fields) + "}"
    if kinds == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "object of " + type_name(schema["additionalProperties"])
    return kinds


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a schema's table: one per property (or per alternative)."""
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        return [
            {"name": f"either {index + 1}", "type": type_name(option), "description": ""}
            for index, option in enumerate(alternatives)
        ] + _fields(alternatives[-1])
    required = set(schema.get("required", []))
    return [
        {
            "name": name if name in required else f"{name} (optional)",
            "type": type_name(field),
            "description": marked(field.get("description", "")),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _example(parameter: re.Match[str]) -> str:
    """An id's example value is 1; another's is its name in capitals (`CODE`), to replace."""
    name = parameter.group(1)
    return EXAMPLE_ID if name.endswith("_id") else name.upper()


def _curl(method: str, url: str, content: dict[str, Any], public: bool) -> str:
    url = PATH_PARAMETER.sub(_example, url)
    lines = [f"curl -X {method.upper()} {shlex.quote(url)}"]
    if not public:
        lines.append('-H "Authorization: Bearer $EMOLYTICS_TOKEN"')
    media_type = next(iter(content), None)
    if media_type == "application/json":
        example = json.dumps(content[media_type]["example"], ensure_ascii=False)
        lines += ["-H 'Content-Type: application/json'", f"-d {shlex.quote(example)}"]
    elif media_type == "multipart/form-data":
        for name, value in content[media_type]["example"].items():
            value = f"@{value}" if name == "file" else value
            lines.append(f"-F {shlex.quote(f'{name}={value}')}")
    return " \\\n  ".join(lines)
