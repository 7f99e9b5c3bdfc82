"""The API's texts paged by cursor: every order walked page by page gives the same texts as
one long page, a live feed's new texts neither repeat nor push texts out, and a cursor that
is not one the API gave is refused."""

import base64
import json

import pytest

from tests.web.api_calls import call, error_code, push, upload
from tests.web.uploads import REVIEWS

# A seventh text the default model does not read: it sorts last by valence and confidence.
GERMAN = '"Die Straßenbahn ist wieder zu spät und ich bin wütend",2026-03-06T10:00:00Z,gil,,\n'
SORTS = ["newest", "oldest", "negative", "positive", "unsure"]


def _page(api, dataset_id, query):
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?{query}")
    assert response.status_code == 200, response.json
    return response.json


def _walk(api, dataset_id, query, per_page=2):
    """Every text by following next_cursor from the first page; the pages' sizes."""
    found, sizes = [], []
    answer = _page(api, dataset_id, f"per_page={per_page}&{query}")
    total = answer["total"]
    while True:
        found += answer["texts"]
        sizes.append(len(answer["texts"]))
        if answer["next_cursor"] is None:
            return found, sizes
        answer = _page(
            api, dataset_id, f"per_page={per_page}&{query}&cursor={answer['next_cursor']}"
        )
        assert answer["page"] is None and answer["total"] == total


@pytest.fixture
def dataset_id(api) -> int:
    response = upload(api, (REVIEWS + GERMAN).encode())
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.parametrize("sort", SORTS)
def test_every_order_walked_by_cursor_is_the_order_of_one_page(api, dataset_id, sort):
    whole = _page(api, dataset_id, f"per_page=200&sort={sort}")
    assert whole["next_cursor"] is None and whole["page"] == 1
    walked, sizes = _walk(api, dataset_id, f"sort={sort}")
    assert [text["id"] for text in walked] == [text["id"] for text in whole["texts"]]
    assert sizes == [2, 2, 2, 1]


def test_filters_hold_on_every_page(api, dataset_id):
    walked, _ = _walk(api, dataset_id, "sort=oldest&q=tram", per_page=1)
    assert [text["line"] for text in walked] == [2, 3, 5, 6]
    assert all("tram" in text["text"].lower() for text in walked)


def test_a_live_feeds_new_texts_neither_repeat_nor_push_texts_out(api, dataset_id):
    first = _page(api, dataset_id, "per_page=3")
    before = _page(api, dataset_id, "per_page=3&page=2")["texts"]
    pushed = [{"text": f"Brand new {n}", "posted_at": "2026-03-09T10:00:00Z"} for n in range(2)]
    assert push(api, dataset_id, pushed).status_code == 201
    after = _page(api, dataset_id, f"per_page=3&cursor={first['next_cursor']}")["texts"]
    assert [text["id"] for text in after] == [text["id"] for text in before]
    # the page number, by contrast, now starts two texts earlier and repeats two of page 1
    shifted = _page(api, dataset_id, "per_page=3&page=2")["texts"]
    assert [text["id"] for text in shifted][:2] == [text["id"] for text in first["texts"]][1:3]


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("cursor=not%20base64!", "invalid_cursor"),
        ("cursor=abc", "invalid_cursor"),
        (f"cursor={_cursor('newest', None, 3)}&sort=negative", "invalid_cursor"),
        (f"cursor={_cursor('newest', '2026-03-01', 3)}", "invalid_cursor"),  # no zone
        (f"cursor={_cursor('newest', None, '3')}", "invalid_cursor"),
        (f"cursor={_cursor('newest', None, 2**63)}", "invalid_cursor"),
        (f"cursor={_cursor('negative', 'yes', 0.5, 3)}&sort=negative", "invalid_cursor"),
        (f"cursor={_cursor('newest', None)}", "invalid_cursor"),
        (f"cursor={'a' * 401}", "invalid_cursor"),
        (f"cursor={_cursor('newest', None, 3)}&page=2", "invalid_parameter"),
    ],
)
def test_a_cursor_the_api_did_not_give_is_refused(api, dataset_id, query, code):
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?{query}")
    assert response.status_code == 400
    assert error_code(response) == code


def test_a_hand_made_cursor_of_the_right_shape_is_only_a_position(api, dataset_id):
    # after the texts without a time (last in newest first): nothing
    nothing = _page(api, dataset_id, f"cursor={_cursor('newest', None, 10**9)}")
    assert nothing["texts"] == [] and nothing["next_cursor"] is None


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_a_page_runs_on_from_the_last_timed_texts_into_those_without_a_time(api, dataset_id, sort):
    walked, sizes = _walk(api, dataset_id, f"sort={sort}", per_page=4)
    assert sizes == [4, 3] and walked[-1]["posted_at"] is None
    whole = _page(api, dataset_id, f"per_page=200&sort={sort}")["texts"]
    assert [text["id"] for text in walked] == [text["id"] for text in whole]
