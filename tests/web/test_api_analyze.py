"""API v1: POST /analyze labels and explains texts, and refuses what it cannot read."""

import pytest

from tests.web.api_calls import call, error_code


def test_analyze_labels_texts(api):
    texts = ["I love this so much", "I am so angry and furious at you"]
    response = call(api, "POST", "/api/v1/analyze", json={"texts": texts})
    assert response.status_code == 200
    results = response.json["results"]
    assert [result["label"] for result in results] == ["joy", "anger"]
    assert set(results[0]) == {"language", "label", "not_scored", "scores", "valence"}
    assert (results[0]["language"], results[0]["not_scored"]) == ("en", None)
    assert abs(sum(results[0]["scores"].values()) - 1) < 1e-6
    assert results[0]["valence"] > 0 > results[1]["valence"]


def test_analyze_explains_on_request(api):
    response = call(api, "POST", "/api/v1/analyze", json={"texts": ["I love it"], "explain": True})
    [result] = response.json["results"]
    token, weight = result["contributions"][0]
    assert token == "love" and weight > 0
    assert result["terms_favour"] is None
    texts = {"texts": ["returning them, feel let down"], "explain": True}
    [result] = call(api, "POST", "/api/v1/analyze", json=texts).json["results"]
    assert (result["label"], result["terms_favour"]) == ("neutral", "sadness")


def test_analyze_takes_a_thousand_texts(api):
    response = call(api, "POST", "/api/v1/analyze", json={"texts": ["fine"] * 1000})
    assert response.status_code == 200
    assert len(response.json["results"]) == 1000


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"texts": []}, 400, "no_texts"),
        ({"texts": ["fine"] * 1001}, 413, "too_many_texts"),
        ({"texts": "just one"}, 400, "invalid_texts"),
        ({"texts": ["fine", 3, None, "  "]}, 400, "invalid_items"),
        ({"texts": ["x" * 20_001]}, 400, "invalid_items"),
        ({"texts": ["a\x00b"]}, 400, "invalid_items"),
        ({"texts": ["fine"], "explain": "yes"}, 400, "invalid_explain"),
        ({"texts": ["fine"], "explian": True}, 400, "unknown_field"),
        ({"texts": ["fine"], "model_id": "1"}, 400, "invalid_model_id"),
        ({"texts": ["fine"], "model_id": True}, 400, "invalid_model_id"),
        ({"texts": ["fine"], "model_id": 999}, 404, "not_found"),
        ({"texts": ["fine"], "model_id": 2**70}, 404, "not_found"),
        (["fine"], 400, "invalid_body"),
    ],
)
def test_analyze_refusals(api, body, status, code):
    response = call(api, "POST", "/api/v1/analyze", json=body)
    assert response.status_code == status
    assert error_code(response) == code


def test_analyze_lists_bad_texts_by_index(api):
    body = {"texts": ["fine", 3, "fine", ""]}
    response = call(api, "POST", "/api/v1/analyze", json=body)
    assert response.json["error"]["items"] == [
        {"index": 1, "reason": "the text is not a string"},
        {"index": 3, "reason": "no text"},
    ]
    assert "#1: the text is not a string" in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "invalid_json"),
        ('{"texts": [NaN]}', "application/json", 400, "invalid_json"),
        ("[" * 100_000, "application/json", 400, "invalid_json"),
        (b'{"texts": ["\xff"]}', "application/json", 400, "invalid_json"),
        ('{"texts": ["half \\udc00 a character"]}', "application/json", 400, "invalid_json"),
        ('{"texts": ["fine"]}', "text/plain", 415, "unsupported_media_type"),
        ("texts=fine", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_analyze_refuses_unreadable_bodies(api, data, content_type, status, code):
    response = call(api, "POST", "/api/v1/analyze", data=data, content_type=content_type)
    assert response.status_code == status
    assert error_code(response) == code
