"""API v1: another user's ids and impossible ids are 404, and every call needs a token."""

import pytest
from flask import Flask

from emolytics.accounts import registration, tokens
from emolytics.tables import TextRow
from tests.conftest import ApiClient
from tests.web.api_calls import call, count, error_code, train, upload


@pytest.fixture
def grace(app: Flask) -> ApiClient:
    """A second user's API client."""
    with app.app_context():
        user = registration.register("grace", "violet harbour 1987")
        created = tokens.create_token(user, "grace's script")
    return ApiClient(app.test_client(), created.secret)


def test_another_users_ids_answer_404_everywhere(app, api, grace):
    dataset = upload(api).json
    model = train(api)
    job_id = dataset["job"]["id"]
    base = f"/api/v1/datasets/{dataset['id']}"
    attempts = [
        ("GET", base, None),
        ("DELETE", base, None),
        ("POST", f"{base}/texts", ["mine now"]),
        ("POST", f"{base}/analyze", {}),
        ("GET", f"{base}/summary", None),
        ("GET", f"{base}/timeline", None),
        ("GET", f"{base}/texts", None),
        ("GET", f"/api/v1/jobs/{job_id}", None),
        ("POST", f"/api/v1/jobs/{job_id}/cancel", None),
        ("GET", f"/api/v1/models/{model['id']}", None),
        ("DELETE", f"/api/v1/models/{model['id']}", None),
        ("POST", "/api/v1/analyze", {"texts": ["hi"], "model_id": model["id"]}),
    ]
    for method, url, body in attempts:
        response = call(grace, method, url, json=body)
        assert response.status_code == 404, (method, url)
        assert error_code(response) == "not_found"
        assert "Tram" not in response.get_data(as_text=True)
    for listing in ("datasets", "jobs", "models"):
        assert grace.get(f"/api/v1/{listing}").json == {listing: []}
    assert api.get(f"{base}/summary").json["analysed"] == 3  # untouched
    assert count(app, TextRow) == 3


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/datasets/0",
        "/api/v1/datasets/2147483648",
        "/api/v1/datasets/99999999999999999999999999/summary",
        "/api/v1/jobs/99999999999999999999999999",
        "/api/v1/models/99999999999999999999999999",
    ],
)
def test_ids_that_cannot_exist_answer_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/v1/datasets"),
        ("POST", "/api/v1/datasets"),
        ("GET", "/api/v1/datasets/1/summary"),
        ("POST", "/api/v1/datasets/1/texts"),
        ("POST", "/api/v1/analyze"),
        ("GET", "/api/v1/jobs"),
        ("GET", "/api/v1/models"),
    ],
)
def test_every_endpoint_needs_a_token(client, method, url):
    response = client.open(url, method=method, json=["fine"])
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_the_document_and_its_reference_need_no_token(client):
    assert client.get("/api/v1/openapi.json").json["openapi"] == "3.1.0"
    page = client.get("/api/v1/reference")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "POST" in html and "/api/v1/datasets/{dataset_id}/texts" in html
    assert "curl -X POST" in html and "Authorization: Bearer $EMOLYTICS_TOKEN" in html
    assert "<script" not in html


def test_the_reference_shows_the_signed_in_menu_and_calls_still_ignore_cookies(client, auth):
    auth.login()
    html = client.get("/api/v1/reference").get_data(as_text=True)
    assert "Sign out" in html and '<span class="who">ada</span>' in html
    me = client.get("/api/v1/me")  # the same browser, its cookies: not an API credential
    assert me.status_code == 401
    assert error_code(me) == "unauthorized"
