"""API v1: segments pushed with live-feed texts and uploaded with a file, filtering the
summary, the texts and the exports."""

import pytest

from tests.web.api_calls import call, error_code, new_feed, push, upload

CHANNELS = (
    b"text,channel\n"
    b"I love the new tram!,App\n"
    b"The tram was late again and I am furious,App\n"
    b"Scared of the crowds on the platform,Kiosk\n"
)


def test_a_live_feed_counts_its_texts_by_segment(api):
    feed = new_feed(api)
    items = [
        {"text": "I love the new tram!", "segment": "App"},
        {"text": "So angry about the delays", "segment": " App "},
        {"text": "Scary crowds", "segment": "Kiosk"},
        "No segment here",
    ]
    assert push(api, feed["id"], items).status_code == 201
    base = f"/api/v1/datasets/{feed['id']}"
    summary = api.get(f"{base}/summary").json
    rows = [(row["segment"], row["total"]) for row in summary["segments"]]
    assert rows == [("App", 2), ("Kiosk", 1), (None, 1)]
    texts = api.get(f"{base}/texts?segment=App").json
    assert texts["total"] == 2
    assert {text["segment"] for text in texts["texts"]} == {"App"}
    assert api.get(f"{base}/summary?segment=Kiosk").json["analysed"] == 1
    exported = api.get(f"{base}/export?format=jsonl&segment=Kiosk").get_data(as_text=True)
    assert exported.count("\n") == 1 and '"segment": "Kiosk"' in exported


@pytest.mark.parametrize(
    ("segment", "reason"),
    [
        (7, "segment must be a string without NUL characters"),
        ("a\x00b", "segment must be a string without NUL characters"),
        ("x" * 201, "the segment is longer than 200 characters"),
    ],
)
def test_a_bad_segment_refuses_the_batch(api, segment, reason):
    feed = new_feed(api)
    response = push(api, feed["id"], [{"text": "fine"}, {"text": "hi", "segment": segment}])
    assert response.status_code == 400 and error_code(response) == "invalid_items"
    assert response.json["error"]["items"] == [{"index": 1, "reason": reason}]


def test_an_upload_names_its_segment_column(api):
    response = upload(api, CHANNELS, segment_column="channel")
    assert response.status_code == 201
    assert response.json["columns"]["segment"] == "channel"
    summary = api.get(f"/api/v1/datasets/{response.json['id']}/summary").json
    assert [(row["segment"], row["total"]) for row in summary["segments"]] == [
        ("App", 2),
        ("Kiosk", 1),
    ]
    missing = upload(api, CHANNELS, segment_column="store")
    assert (missing.status_code, error_code(missing)) == (400, "unreadable_file")
    assert "no column named 'store'" in missing.json["error"]["message"]
    assert call(api, "GET", "/api/v1/openapi.json").json["components"]["schemas"]["Text"][
        "properties"
    ]["segment"]
