"""The API reads requests into models, answers through models, and its OpenAPI document is
generated from those same models and the operations declared on the views."""

from emolytics.api.operations import Operation
from emolytics.schemas import answers, models, requests
from emolytics.schemas.errors import error_body


def test_every_api_view_declares_its_operation(app):
    views = {
        rule.endpoint: app.view_functions[rule.endpoint]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    undeclared = [name for name, view in views.items() if not hasattr(view, "openapi")]
    assert not undeclared
    assert all(isinstance(view.openapi, Operation) for view in views.values())


def test_the_document_is_the_models(client):
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    for model in (answers.Job, answers.Dataset, models.Model, answers.Result):
        assert set(schemas[model.__name__]["properties"]) == set(model.model_fields)
    analyze = document["paths"]["/analyze"]["post"]["requestBody"]["content"]["application/json"]
    assert set(analyze["schema"]["properties"]) == set(requests.AnalyzeBody.model_fields)
    texts = document["paths"]["/datasets/{dataset_id}/texts"]["get"]["parameters"]
    assert {
        "label",
        "keyword",
        "start",
        "end",
        "q",
        "language",
        "corrected",
        "segment",
        "author",
        "page",
        "per_page",
        "explain",
        "sort",
        "cursor",
    } == {parameter["name"] for parameter in texts}


def test_answers_are_shaped_by_the_models(api):
    me = api.get("/api/v1/me").json
    assert answers.Me.model_validate(me).model_dump(mode="json") == me
    refused = api.client.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json == error_body("unauthorized", "Send 'Authorization: Bearer <token>'.")


def test_a_bad_field_is_refused_with_its_models_code(api):
    headers = {"Authorization": f"Bearer {api.token}"}
    body = {"texts": ["fine"], "explain": "yes"}
    answer = api.client.post("/api/v1/analyze", json=body, headers=headers)
    assert answer.status_code == 400
    assert answer.json == error_body(*requests.AnalyzeBody.refusals["explain"])
