"""API v1 calls for the tests: a bearer call, its error code, an upload, a feed, a push, a model,
and one of each resource (`real_ids`)."""

from io import BytesIO
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from emolytics.extensions import db
from emolytics.tables import Subscription
from tests.conftest import ApiClient

UPLOAD_CSV = (
    b"text,created_at,author\n"
    b"I love the new tram!,2026-03-01T08:00:00Z,ana\n"
    b"The tram was late again and I am furious,2026-03-02T09:00:00Z,ben\n"
    b"Scared of the crowds on the platform,2026-03-03T10:00:00Z,cy\n"
)
LABELED_CSV = "text,label\n" + "".join(
    f"{text} {index},{label}\n"
    for index in range(8)
    for text, label in (
        ("what a wonderful happy lovely day", "happy"),
        ("so glad and delighted with this", "happy"),
        ("terrible awful miserable service", "unhappy"),
        ("sad and disappointed about the delay", "unhappy"),
    )
)


def call(api: ApiClient, method: str, url: str, **kwargs: Any) -> TestResponse:
    headers = {"Authorization": f"Bearer {api.token}", **kwargs.pop("headers", {})}
    return api.client.open(url, method=method, headers=headers, **kwargs)


def error_code(response: TestResponse) -> str:
    assert response.is_json, response.data
    assert response.json["error"]["message"]
    return response.json["error"]["code"]


def upload(api: ApiClient, content: bytes = UPLOAD_CSV, **fields: str) -> TestResponse:
    form = {"name": "Tram", "file": (BytesIO(content), "texts.csv"), **fields}
    return call(api, "POST", "/api/v1/datasets", data=form)


# a file of two texts to add to a dataset
APRIL = (
    b"text,created_at,author\n"
    b"Lovely quiet ride this morning,2026-04-03T09:00:00Z,hal\n"
    b"The tram broke down twice today,2026-04-04T18:00:00Z,ivy\n"
)


def add_file(
    api: ApiClient, dataset_id: int, content: bytes = APRIL, **fields: str
) -> TestResponse:
    """`POST /datasets/<id>/files` with `content` as april.csv."""
    form = {"file": (BytesIO(content), "april.csv"), **fields}
    return call(api, "POST", f"/api/v1/datasets/{dataset_id}/files", data=form)


def new_feed(api: ApiClient, **body: Any) -> dict[str, Any]:
    response = call(api, "POST", "/api/v1/datasets", json={"name": "Live", **body})
    assert response.status_code == 201, response.json
    return response.json


def push(api: ApiClient, dataset_id: int, items: Any) -> TestResponse:
    return call(api, "POST", f"/api/v1/datasets/{dataset_id}/texts", json=items)


def train(api: ApiClient) -> dict[str, Any]:
    form = {"name": "Moods", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    response = call(api, "POST", "/api/v1/models", data=form)
    assert response.status_code == 202, response.json
    return response.json


def count(app: Flask, table: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


def real_ids(api: ApiClient) -> dict[str, object]:
    """One of each resource ada's token can see, so that routes get past their 404."""
    dataset, other = upload(api).json, upload(api, name="Other").json
    text = call(api, "GET", f"/api/v1/datasets/{dataset['id']}/texts").json["texts"][0]
    me = call(api, "GET", "/api/v1/me").json
    training = {"name": "Mood", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    model = call(api, "POST", "/api/v1/models", data=training).json
    rule_body = {"metric": "volume", "window_minutes": 60}
    rule = call(api, "POST", f"/api/v1/datasets/{dataset['id']}/alert-rules", json=rule_body)
    invitation_url = f"/api/v1/teams/{me['team']['id']}/invitations"
    invitation = call(api, "POST", invitation_url, json={"role": "viewer"}).json
    views_url = f"/api/v1/datasets/{dataset['id']}/views?label=joy"
    view = call(api, "POST", views_url, json={"name": "Joy"}).json
    noted = {"at": "2026-03-02", "note": "Launch"}
    annotation = call(api, "POST", f"/api/v1/datasets/{dataset['id']}/annotations", json=noted).json
    more = {"file": (BytesIO(b"text\nOne more text\n"), "more.csv")}
    added = call(api, "POST", f"/api/v1/datasets/{dataset['id']}/files", data=more).json
    return {
        "subscription_id": _subscription(api.client.application, dataset["id"]),
        "dataset_id": dataset["id"],
        "other_dataset_id": other["id"],  # for the routes that take several (side by side)
        "text_id": text["id"],
        "job_id": dataset["job"]["id"],
        "model_id": model["id"],
        "team_id": me["team"]["id"],
        "user_id": me["id"],
        "rule_id": rule.json["id"],
        "invitation_id": invitation["id"],
        "view_id": view["id"],
        "annotation_id": annotation["id"],
        "file_id": added["file"]["id"],
        "code": "not-a-code",
        "token": "not-a-token",  # an address confirmation's
        "session_id": 1,
        "token_id": 1,
        "passkey_id": 1,
        "file_format": "csv",
    }


def _subscription(app: Flask, dataset_id: int) -> int:
    """A subscription of the dataset, stored as a read leaves one (no feed is read)."""
    with app.app_context():
        url = "https://feeds.example.com/news.rss"
        subscription = Subscription(dataset_id=dataset_id, url=url, added=0)
        db.session.add(subscription)
        db.session.commit()
        return subscription.id
