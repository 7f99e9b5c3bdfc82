"""A text's page, opened from the texts table, leads to the text before and after it in the
table's view (its filters and order), however the order breaks ties and wherever the texts
without a time or a score fall; the way back and a correction keep the view."""

import re

import pytest

from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.tables import Dataset
from tests.conftest import team_of
from tests.web.correction_steps import _correct_on_page
from tests.web.uploads import REVIEWS, upload

# Ties (one time twice, two texts without one) and a text the model does not read.
MORE = (
    '"The tram was late, again and again",2026-03-02T09:30:00Z,gus,,\n'
    '"Lovely staff on the night tram",,hal,,\n'
    '"Die Straßenbahn ist wieder zu spät und ich bin wütend",2026-03-06T10:00:00Z,ivy,,\n'
)
SORTS = ["newest", "oldest", "negative", "positive", "unsure"]
OPENED = re.compile(r'href="/datasets/\d+/texts/(\d+)(?:\?[^"]*)?" aria-label="Open text')
LINK = r'<a rel="{}" data-key="arrow\w+" href="/datasets/\d+/texts/(\d+)(?:\?([^"]*))?">'


@pytest.fixture
def dataset_id(auth) -> int:
    auth.login()
    response = upload(auth, REVIEWS + MORE)
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def _table(client, dataset_id: int, query: str) -> list[int]:
    page = client.get(f"/datasets/{dataset_id}/texts?{query}").get_data(as_text=True)
    return [int(found) for found in OPENED.findall(page)]


def _link(page: str, rel: str) -> tuple[int, str] | None:
    found = re.search(LINK.format(rel), page)
    return None if found is None else (int(found[1]), found[2] or "")


def _walk(client, dataset_id: int, start: int, query: str, rel: str) -> list[int]:
    """The texts met following the `rel` links from text `start`, which each keep `query`."""
    seen = [start]
    while True:
        page = client.get(f"/datasets/{dataset_id}/texts/{seen[-1]}?{query}")
        assert page.status_code == 200
        following = _link(page.get_data(as_text=True), rel)
        if following is None:
            return seen
        assert following[1].replace("&amp;", "&") == query
        seen.append(following[0])


@pytest.mark.parametrize("sort", SORTS)
def test_next_and_previous_walk_the_tables_order(client, dataset_id, sort):
    query = "" if sort == "newest" else f"sort={sort}"
    table = _table(client, dataset_id, query)
    assert len(table) == 9
    assert _walk(client, dataset_id, table[0], query, "next") == table
    assert _walk(client, dataset_id, table[-1], query, "prev") == table[::-1]


def test_the_filters_hold_and_the_way_back_keeps_them(client, dataset_id):
    query = "q=tram&sort=oldest"
    table = _table(client, dataset_id, query)
    assert len(table) == 6
    assert _walk(client, dataset_id, table[0], query, "next") == table
    page = client.get(f"/datasets/{dataset_id}/texts/{table[2]}?{query}").get_data(as_text=True)
    assert f'href="/datasets/{dataset_id}/texts?q=tram&amp;sort=oldest">' in page
    assert "Previous text" in page and "Next text" in page  # not newest first: no "Newer"
    newest = client.get(f"/datasets/{dataset_id}/texts/{table[2]}").get_data(as_text=True)
    assert "Newer text" in newest and "Older text" in newest


def test_a_text_corrected_out_of_the_view_still_leads_on(auth, client, dataset_id):
    query = "label=joy"
    table = _table(client, dataset_id, query)
    assert len(table) >= 2
    here = f"/datasets/{dataset_id}/texts/{table[0]}?{query}"
    page = client.get(here).get_data(as_text=True)
    assert 'name="next" value="' + here.replace("&", "&amp;") + '"' in page
    response = _correct_on_page(auth, dataset_id, table[0], "anger", next=here)
    assert response.location == here
    page = client.get(here).get_data(as_text=True)
    assert _link(page, "next") == (table[1], query)
    assert _link(page, "prev") is None


def test_an_unknown_order_is_refused(client, dataset_id):
    table = _table(client, dataset_id, "")
    response = client.get(f"/datasets/{dataset_id}/texts/{table[0]}?sort=loudest")
    assert response.status_code == 400
    assert "sort is one of newest, oldest" in response.get_data(as_text=True)


def test_an_empty_table_says_why(app, client, dataset_id):
    with app.app_context():
        feed = datasets.create_feed(team_of("ada"), "Quiet feed").id
        dataset = db.session.get(Dataset, dataset_id)
        dataset.current_job_id = None  # as while its first analysis runs
        db.session.commit()
    quiet = client.get(f"/datasets/{feed}/texts").get_data(as_text=True)
    assert "No texts yet." in quiet and "No texts match" not in quiet
    running = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert "Not analysed yet: the texts show here once" in running
    assert f'<a href="/datasets/{dataset_id}">the analysis</a> has finished.' in running
    assert "No texts match" not in running
