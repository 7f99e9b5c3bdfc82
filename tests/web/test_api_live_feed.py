"""API v1: the live feed, its texts pushed, analysed and counted at once, and its refusals."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import TextRow
from tests.web.api_calls import call, count, error_code, new_feed, push


def test_live_feed_texts_are_analysed_and_counted_at_once(api):
    feed = new_feed(api, keywords=["Tram", "#delays"])
    assert feed["source"] == "api" and feed["row_count"] == 0 and feed["job"] is None
    assert feed["keywords"] == ["tram", "delays"]
    summary_url = f"/api/v1/datasets/{feed['id']}/summary"
    assert api.get(summary_url).json["analysed"] == 0

    first = [
        "I love the new tram!",
        {"text": "More delays, I am so angry", "posted_at": "2026-03-01T08:00:00Z"},
        {"text": "Scary crowds", "author": "cy", "lat": 52.5, "lon": 13.4},
    ]
    response = push(api, feed["id"], first)
    assert response.status_code == 201
    assert response.json["added"] == 3
    assert response.json["dataset"]["row_count"] == 3
    summary = api.get(summary_url).json
    assert summary["analysed"] == 3
    assert summary["map"]["geotagged"] == 1
    assert {row["keyword"]: row["total"] for row in summary["keywords"]} == {
        "tram": 1,
        "delays": 1,
    }

    lines = '{"text": "What a joy, the tram is on time"}\n\n"Another #tram delay"\n'
    response = call(
        api,
        "POST",
        f"/api/v1/datasets/{feed['id']}/texts",
        data=lines,
        content_type="application/x-ndjson",
    )
    assert response.status_code == 201 and response.json["added"] == 2
    summary = api.get(summary_url).json
    assert summary["analysed"] == 5  # into the finished analysis, no new job
    assert {row["keyword"]: row["total"] for row in summary["keywords"]}["tram"] == 3
    assert len(api.get("/api/v1/jobs").json["jobs"]) == 1


def test_a_live_feed_text_without_a_time_was_posted_when_it_arrived(app, api):
    feed = new_feed(api)
    before = datetime.now(UTC)
    items = ["Lovely tram today", {"text": "Late again", "posted_at": "2026-03-01T08:00:00Z"}]
    assert push(api, feed["id"], items).status_code == 201
    after = datetime.now(UTC)

    with app.app_context():
        times = db.session.scalars(select(TextRow.posted_at).order_by(TextRow.line)).all()
    assert before - timedelta(seconds=1) <= times[0] <= after  # the server's time at the push
    assert times[1] == datetime(2026, 3, 1, 8, tzinfo=UTC)  # a given time is kept
    points = api.get(f"/api/v1/datasets/{feed['id']}/summary").json["timeline"]["points"]
    assert sum(sum(point["counts"].values()) for point in points) == 2


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"text": ""}, "no text"),
        ({"author": "ana"}, "no text"),
        (5, "not a string or an object"),
        ({"text": "fine", "mood": "joy"}, "unknown field 'mood'"),
        ({"text": "fine", "lat": 100, "lon": 0}, "coordinates out of range: 100, 0"),
        ({"text": "fine", "lat": 1}, "lat and lon must both be numbers, or both be missing"),
        ({"text": "fine", "lat": "1", "lon": "2"}, "lat and lon must both be numbers"),
        ({"text": "fine", "lat": True, "lon": 2}, "lat and lon must both be numbers"),
        ({"text": "fine", "posted_at": "yesterday"}, "unreadable timestamp 'yesterday'"),
        ({"text": "fine", "posted_at": 1e30}, "timestamp out of range"),
        ({"text": "fine", "posted_at": "9999-12-31T23:59:59-05:00"}, "out of range"),
        ({"text": "fine", "author": 7}, "author must be a string"),
        ({"text": "fine", "author": "x" * 201}, "longer than 200 characters"),
        ({"text": "x" * 20_001}, "longer than 20,000 characters"),
        ({"text": "nul \x00 here"}, "NUL character"),
    ],
)
def test_a_bad_item_refuses_the_whole_batch(app, api, item, reason):
    feed = new_feed(api)
    assert push(api, feed["id"], ["fine"]).status_code == 201
    response = push(api, feed["id"], ["good one", item, "another good one"])
    assert response.status_code == 400
    assert error_code(response) == "invalid_items"
    [bad] = response.json["error"]["items"]
    assert bad["index"] == 1 and reason in bad["reason"]
    assert count(app, TextRow) == 1  # nothing half-written
    assert api.get(f"/api/v1/datasets/{feed['id']}").json["row_count"] == 1


def test_bad_ndjson_lines_are_listed_by_line(app, api):
    feed = new_feed(api)
    lines = '"fine"\n{broken\n\n[1, 2]\n'
    response = call(
        api,
        "POST",
        f"/api/v1/datasets/{feed['id']}/texts",
        data=lines,
        content_type="application/x-ndjson",
    )
    assert response.status_code == 400
    assert response.json["error"]["items"] == [
        {"index": 1, "reason": "not valid JSON"},
        {"index": 3, "reason": "not a string or an object"},
    ]
    assert count(app, TextRow) == 0


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("[]", "application/json", 400, "no_texts"),
        ("\n\n", "application/x-ndjson", 400, "no_texts"),
        (json.dumps(["fine"] * 10_001), "application/json", 413, "too_many_texts"),
        ('{"text": "fine"}', "application/json", 400, "invalid_body"),
        ("[Infinity]", "application/json", 400, "invalid_json"),
        (b'"caf\xe9"', "application/x-ndjson", 400, "invalid_json"),
        ('["fine", "half \\ud800"]', "application/json", 400, "invalid_json"),
        ('{"text": "half \\uDBFF"}', "application/x-ndjson", 400, "invalid_items"),
        ("fine", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_push_refusals(app, api, data, content_type, status, code):
    feed = new_feed(api)
    url = f"/api/v1/datasets/{feed['id']}/texts"
    response = call(api, "POST", url, data=data, content_type=content_type)
    assert response.status_code == status
    assert error_code(response) == code
    assert count(app, TextRow) == 0


def test_push_takes_ten_thousand_texts(app, api):
    feed = new_feed(api)
    response = push(api, feed["id"], [f"text number {index}" for index in range(10_000)])
    assert response.status_code == 201
    assert response.json["added"] == 10_000
    assert api.get(f"/api/v1/datasets/{feed['id']}/summary").json["analysed"] == 10_000


def test_a_feed_text_is_named_by_its_place_in_the_feed(api, auth):
    feed = new_feed(api)
    assert push(api, feed["id"], ["I love the new tram!", "Scary crowds"]).status_code == 201
    texts = call(api, "GET", f"/api/v1/datasets/{feed['id']}/texts?sort=oldest").json["texts"]
    assert [text["line"] for text in texts] == [1, 2]
    auth.login()
    url = f"/datasets/{feed['id']}/texts/{texts[1]['id']}"
    page = auth.client.get(url).get_data(as_text=True)
    assert "<h1>Text 2 of the live feed</h1>" in page  # a feed has no lines
    review = auth.client.get(f"/datasets/{feed['id']}/review").get_data(as_text=True)
    assert re.search(r">text [12] of the feed</a>", review)
