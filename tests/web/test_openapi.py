"""The OpenAPI document: valid OpenAPI 3.1, naming every API route, and true to what they do.

Schemathesis generates requests from the document and calls the app in-process with ada's
token; every answer must be a documented status with a body that matches its schema, never a
server error. Hypothesis runs derandomized, without an example database: the same cases every
run.
"""

import re
from io import BytesIO

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from emolytics.api.openapi import document
from emolytics.app import create_app
from tests.conftest import ApiClient
from tests.web.api_calls import LABELED_CSV, UPLOAD_CSV

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@schemathesis.serializer("application/x-ndjson")
def ndjson(context: schemathesis.SerializationContext, value: str) -> bytes:
    return value.encode()


def test_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    validate(response.json)  # raises on the first problem
    assert response.json["openapi"] == "3.1.0"


def test_document_names_every_route_and_no_other(app, client):
    document = client.get("/api/v1/openapi.json").json
    documented = {
        (method.upper(), "/api/v1" + path)
        for path, item in document["paths"].items()
        for method in item
        if method.upper() in HTTP_METHODS
    }
    routed = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods & HTTP_METHODS
    }
    assert documented == routed


def test_document_components_cover_the_main_shapes(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert {"Dataset", "Job", "Result", "Summary", "Error"} <= set(schemas)


def test_document_states_the_limits_the_api_enforces(client):
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    texts = document["paths"]["/datasets/{dataset_id}/texts"]
    page = next(item for item in texts["get"]["parameters"] if item["name"] == "page")
    assert page["schema"]["maximum"] == 1_000_000
    assert texts["parameters"][0]["schema"] == {"type": "integer", "format": "int64", "minimum": 1}
    assert schemas["TextField"]["pattern"] == r"\S"  # non-blank, as text_problem demands
    analyze = document["paths"]["/analyze"]["post"]["requestBody"]["content"]["application/json"]
    assert analyze["schema"]["properties"]["texts"]["items"] == {
        "$ref": "#/components/schemas/TextField"
    }
    assert analyze["schema"]["properties"]["model_id"]["format"] == "int64"
    label = next(item for item in texts["get"]["parameters"] if item["name"] == "label")
    assert "unknown_label" in label["description"]


@pytest.fixture
def api_schema(app: Flask, api: ApiClient) -> schemathesis.BaseSchema:
    """The document as schemathesis reads it, over an app where ada has a dataset and a model
    (ids 1: generated ids hit them as well as missing ones)."""
    headers = {"Authorization": f"Bearer {api.token}"}
    form = {"name": "Tram", "file": (BytesIO(UPLOAD_CSV), "texts.csv")}
    assert api.client.post("/api/v1/datasets", data=form, headers=headers).status_code == 201
    form = {"name": "Moods", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    assert api.client.post("/api/v1/models", data=form, headers=headers).status_code == 202
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


OPERATIONS = [
    (path, method.upper())
    for path, item in document(create_app({"TESTING": True, "SECRET_KEY": "test"}))["paths"].items()
    for method in item
    if method.upper() in HTTP_METHODS
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_api_matches_its_document(
    api_schema: schemathesis.BaseSchema, api: ApiClient, path: str, method: str
) -> None:
    headers = {"Authorization": f"Bearer {api.token}"}

    @given(case=api_schema[path][method].as_strategy())
    @settings(
        max_examples=12,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def conforms(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    conforms()
