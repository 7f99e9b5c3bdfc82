"""Renaming a dataset or a model, on its page and through the API: the new name everywhere, the
old one in the audit log, a clear refusal for a name that cannot be one, nothing changed then."""

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics.accounts import registration, tokens
from emolytics.extensions import db
from emolytics.tables import AuditEvent, Dataset, EmotionModel
from tests.conftest import ApiClient, csrf_token
from tests.web.api_calls import call, error_code, train, upload
from tests.web.model_steps import train as train_page
from tests.web.uploads import REVIEWS
from tests.web.uploads import upload as upload_page


def stored_name(app: Flask, dataset_id: int) -> str:
    with app.app_context():
        return db.session.get(Dataset, dataset_id).name


def renamed_events(app: Flask, action: str = "dataset.renamed") -> list[str]:
    with app.app_context():
        found = select(AuditEvent.target).where(AuditEvent.action == action)
        return list(db.session.scalars(found.order_by(AuditEvent.id)))


def rename(client, page_url: str, name: str):
    form = {"name": name, "csrf_token": csrf_token(client, page_url)}
    return client.post(f"{page_url}/name", data=form)


def test_the_page_renames_a_dataset(app, client, auth):
    auth.login()
    dataset_url = upload_page(auth, REVIEWS).location
    dataset_id = int(dataset_url.rsplit("/", 1)[1])
    page = client.get(dataset_url).get_data(as_text=True)
    assert 'value="Reviews"' in page and "Rename</button>" in page
    response = rename(client, dataset_url, "  Tram reviews, March  ")
    assert response.status_code == 302 and response.location == dataset_url
    page = client.get(dataset_url).get_data(as_text=True)
    assert "<h1>Tram reviews, March</h1>" in page and "Renamed to “Tram reviews, March”." in page
    assert "Tram reviews, March" in client.get("/dashboard").get_data(as_text=True)
    assert stored_name(app, dataset_id) == "Tram reviews, March"
    assert renamed_events(app) == [f'dataset {dataset_id} "Tram reviews, March", was "Reviews"']
    exported = client.get(f"{dataset_url}/export.csv")
    assert 'filename="Tram-reviews-March-results.csv"' in exported.headers["Content-Disposition"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_name_that_cannot_be_one_is_refused(app, client, auth, name):
    auth.login()
    dataset_url = upload_page(auth, REVIEWS).location
    response = rename(client, dataset_url, name)
    assert response.status_code == 400
    assert "Give the dataset a name of 1 to 120 characters." in response.get_data(as_text=True)
    assert stored_name(app, int(dataset_url.rsplit("/", 1)[1])) == "Reviews"
    assert renamed_events(app) == []


def test_the_api_renames_a_dataset(app, api):
    dataset = upload(api).json
    url = f"/api/v1/datasets/{dataset['id']}"
    response = call(api, "PATCH", url, json={"name": " Tram, March "})
    assert response.status_code == 200
    assert response.json["name"] == "Tram, March" and response.json["id"] == dataset["id"]
    assert response.json["job"]["id"] == dataset["job"]["id"]  # the analysis is the same
    assert call(api, "GET", url).json["name"] == "Tram, March"
    assert renamed_events(app) == [f'dataset {dataset["id"]} "Tram, March", was "Tram"']


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ({"name": ""}, None, 400, "invalid_name"),
        ({"name": "x" * 121}, None, 400, "invalid_name"),
        ({"name": 12}, None, 400, "invalid_name"),
        ({}, None, 400, "invalid_name"),
        ({"name": "Tram", "keywords": []}, None, 400, "unknown_field"),
        ("name=Tram", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_the_api_refuses_a_bad_name_and_changes_nothing(app, api, body, content_type, status, code):
    dataset = upload(api).json
    url = f"/api/v1/datasets/{dataset['id']}"
    if content_type is None:
        response = call(api, "PATCH", url, json=body)
    else:
        response = call(api, "PATCH", url, data=body, content_type=content_type)
    assert response.status_code == status and error_code(response) == code
    assert stored_name(app, dataset["id"]) == "Tram"


def test_another_teams_dataset_is_404(app, api):
    dataset = upload(api).json
    with app.app_context():
        stranger = registration.register("grace", "violet harbour 1987")
        secret = tokens.create_token(stranger, "grace's script").secret
    grace = ApiClient(app.test_client(), secret)
    url = f"/api/v1/datasets/{dataset['id']}"
    response = call(grace, "PATCH", url, json={"name": "Mine now"})
    assert response.status_code == 404 and error_code(response) == "not_found"
    assert stored_name(app, dataset["id"]) == "Tram"


def test_the_page_renames_a_model(app, client, auth):
    auth.login()
    model_url = train_page(auth).location
    model_id = int(model_url.rsplit("/", 1)[1])
    assert rename(client, model_url, "   ").status_code == 400
    response = rename(client, model_url, "Support topics, v2")
    assert response.status_code == 302 and response.location == model_url
    page = client.get(model_url).get_data(as_text=True)
    assert "<h1>Support topics, v2</h1>" in page and "Renamed to “Support topics, v2”." in page
    assert "Support topics, v2" in client.get("/models").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(EmotionModel, model_id).name == "Support topics, v2"
    assert renamed_events(app, "model.renamed") == [
        f'model {model_id} "Support topics, v2", was "Tickets"'
    ]
    refused = rename(client, model_url, "x" * 121)
    assert refused.status_code == 400
    assert "Give the model a name of 1 to 120 characters." in refused.get_data(as_text=True)


def test_the_api_renames_a_model_for_its_team_only(app, api):
    model = train(api)
    url = f"/api/v1/models/{model['id']}"
    response = call(api, "PATCH", url, json={"name": "Moods, v2"})
    assert response.status_code == 200 and response.json["name"] == "Moods, v2"
    assert call(api, "GET", url).json["name"] == "Moods, v2"
    refused = call(api, "PATCH", url, json={"name": ""})
    assert refused.status_code == 400 and error_code(refused) == "invalid_name"
    with app.app_context():
        stranger = registration.register("grace", "violet harbour 1987")
        secret = tokens.create_token(stranger, "grace's script").secret
    response = call(ApiClient(app.test_client(), secret), "PATCH", url, json={"name": "Mine"})
    assert response.status_code == 404 and error_code(response) == "not_found"
    assert call(api, "GET", url).json["name"] == "Moods, v2"
