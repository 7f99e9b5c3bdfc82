"""The Idempotency-Key header: a client that lost an answer sends its request again, safely."""

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from emolytics.accounts import registration, tokens
from emolytics.extensions import db
from emolytics.tables import Dataset, IdempotencyKey, Job, TextRow, utcnow
from tests.conftest import ApiClient
from tests.web.api_calls import UPLOAD_CSV, call, count, error_code, new_feed


def upload(api: ApiClient, key: str, content: bytes = UPLOAD_CSV) -> TestResponse:
    form = {"name": "Tram", "file": (BytesIO(content), "texts.csv")}
    return call(api, "POST", "/api/v1/datasets", data=form, headers={"Idempotency-Key": key})


def push(api: ApiClient, dataset_id: int, items: Any, key: str) -> TestResponse:
    url = f"/api/v1/datasets/{dataset_id}/texts"
    return call(api, "POST", url, json=items, headers={"Idempotency-Key": key})


def test_a_retried_upload_gets_the_first_answer_and_stores_nothing_new(app, api):
    first = upload(api, "upload-1")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    again = upload(api, "upload-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert count(app, Dataset) == 1 and count(app, Job) == 1 and count(app, TextRow) == 3

    assert upload(api, "upload-2").status_code == 201  # a new key is a new upload
    assert count(app, Dataset) == 2


def test_a_key_reused_for_another_request_is_refused(app, api):
    assert upload(api, "k").status_code == 201
    response = upload(api, "k", UPLOAD_CSV + b"One more text,2026-03-04T10:00:00Z,dan\n")
    # 422 as the IETF draft on the header says: well-formed, but not with this key
    assert response.status_code == 422
    assert error_code(response) == "idempotency_key_reused"
    assert count(app, Dataset) == 1


def test_a_retried_feed_push_adds_its_texts_once(app, api):
    feed = new_feed(api)
    items = ["I love the tram", "The tram is late"]
    first = push(api, feed["id"], items, "push-1")
    again = push(api, feed["id"], items, "push-1")
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert count(app, TextRow) == 2
    assert push(api, feed["id"], ["another"], "push-1").status_code == 422
    assert api.get(f"/api/v1/datasets/{feed['id']}").json["row_count"] == 2


def test_keys_belong_to_their_user(app, api):
    assert upload(api, "shared").status_code == 201
    with app.app_context():
        grace = registration.register("grace", "violet harbour 1987")
        secret = tokens.create_token(grace, "script").secret
    other = ApiClient(app.test_client(), secret)
    response = upload(other, "shared")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert count(app, Dataset) == 2


def test_a_key_is_forgotten_after_a_day(app, api):
    assert upload(api, "old").status_code == 201
    with app.app_context():
        db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    response = upload(api, "old")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert count(app, Dataset) == 2
    assert upload(api, "newer").status_code == 201
    with app.app_context():  # the keys past their day are removed
        keys = db.session.scalars(select(IdempotencyKey.key).order_by(IdempotencyKey.key)).all()
    assert keys == ["newer", "old"]


def test_a_retry_while_the_first_request_is_answered_waits(app, api):
    """The first request's work is stored with its key; until its answer is kept, a retry
    is told to come back (and stores nothing)."""
    assert upload(api, "busy").status_code == 201
    with app.app_context():
        db.session.execute(update(IdempotencyKey).values(status=None, response=None))
        db.session.commit()
    response = upload(api, "busy")
    assert response.status_code == 409 and error_code(response) == "request_in_progress"
    assert count(app, Dataset) == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_refused(app, api, key):
    response = upload(api, key)
    assert response.status_code == 400 and error_code(response) == "invalid_idempotency_key"
    assert count(app, Dataset) == 0
