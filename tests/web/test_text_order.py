"""The texts table's order: newest (the default) or oldest first, most negative or positive,
least confident first, on the page and in the API, with texts not scored last."""

import re
from typing import get_args

import pytest

from emolytics.pipeline.text_cursors import ORDERS
from emolytics.schemas.texts import TextsQuery
from tests.web.api_calls import call, error_code, upload
from tests.web.uploads import REVIEWS
from tests.web.uploads import upload as upload_page

GERMAN = '"Die Straßenbahn ist wieder zu spät und ich bin wütend",2026-03-06T10:00:00Z,gil,,\n'


def texts(api, dataset_id: int, query: str = "") -> list[dict]:
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?per_page=200&{query}")
    assert response.status_code == 200, response.json
    return response.json["texts"]


@pytest.fixture
def dataset_id(api) -> int:
    response = upload(api, (REVIEWS + GERMAN).encode())
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_every_order_of_the_api(api, dataset_id):
    newest = texts(api, dataset_id)
    assert newest == texts(api, dataset_id, "sort=newest")
    assert [text["line"] for text in newest] == [8, 6, 5, 4, 3, 2, 7]  # no time: last
    oldest = texts(api, dataset_id, "sort=oldest")
    assert [text["line"] for text in oldest] == [2, 3, 4, 5, 6, 8, 7]  # no time: last
    scored = [text for text in newest if text["not_scored"] is None]
    assert len(scored) == 6
    for order, key, reverse in (
        ("negative", "valence", False),
        ("positive", "valence", True),
        ("unsure", "confidence", False),
    ):
        found = texts(api, dataset_id, f"sort={order}")
        assert [text[key] for text in found[:-1]] == sorted(
            (text[key] for text in scored), reverse=reverse
        ), order
        assert found[-1]["language"] == "de" and found[-1]["not_scored"] == "language", order
    most_negative = texts(api, dataset_id, "sort=negative")[0]
    assert most_negative["label"] == "anger" and "furious" in most_negative["text"]


def test_an_order_goes_with_the_filters_and_pages(api, dataset_id):
    first = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?q=tram&sort=positive&per_page=1")
    second = call(
        api, "GET", f"/api/v1/datasets/{dataset_id}/texts?q=tram&sort=positive&per_page=1&page=2"
    )
    assert first.json["total"] == 4
    assert first.json["texts"][0]["valence"] >= second.json["texts"][0]["valence"]


def test_the_api_offers_the_orders_the_table_has():
    assert get_args(TextsQuery.model_fields["sort"].annotation) == tuple(ORDERS)


def test_an_unknown_order_is_refused(api, dataset_id):
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?sort=valence")
    assert response.status_code == 400 and error_code(response) == "invalid_parameter"
    assert (
        "sort is one of newest, oldest, negative, positive, unsure."
        in response.json["error"]["message"]
    )


def test_the_page_offers_the_orders_and_keeps_one_while_paging(client, auth):
    auth.login()
    rows = "".join(
        f'"I am so angry, number {n}",2026-04-01T08:{n:02d}:00Z,a,,\n' for n in range(60)
    )
    dataset_url = upload_page(auth, REVIEWS + rows).location
    page = client.get(f"{dataset_url}/texts?sort=negative").get_data(as_text=True)
    assert '<option value="negative" selected>most negative first</option>' in page
    following = re.search(r'href="([^"]*)">Next →<', page).group(1).replace("&amp;", "&")
    assert "sort=negative" in following and "page=2" in following
    assert "← Previous" in client.get(following).get_data(as_text=True)
    newest = client.get(f"{dataset_url}/texts").get_data(as_text=True)
    assert "Older →" in newest and '<option value="newest" selected>' in newest
    refused = client.get(f"{dataset_url}/texts?sort=valence")
    assert refused.status_code == 400
    assert "sort is one of newest, oldest, negative, positive, unsure." in refused.get_data(
        as_text=True
    )
