"""Texts appended to a feed across write batches: their ids in order, concurrent pushes apart."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.pipeline.ingest import ParsedText
from emolytics.tables import Dataset
from tests.conftest import team_of
from tests.web.bulk_rows import BATCH, stored_tags, stored_texts

pytestmark = pytest.mark.usefixtures("small_batches")  # write batches of BATCH rows


def test_appended_texts_return_their_ids_in_order(app):
    with app.app_context():
        feed = datasets.create_feed(team_of("ada"), "Live", ["tram"])
        first = datasets.append_texts(feed, parsed("one tram", "two", "three tram", "four"))
        second = datasets.append_texts(feed, parsed("five", "six tram"))
    rows = stored_texts(app)
    assert first + second == [row.id for row in rows]
    assert [(row.line, row.text) for row in rows] == [
        (1, "one tram"),
        (2, "two"),
        (3, "three tram"),
        (4, "four"),
        (5, "five"),
        (6, "six tram"),
    ]
    assert {text_id for text_id, _keyword in stored_tags(app)} == {
        first[0],
        first[2],
        second[1],
    }


def test_concurrent_pushes_get_unique_lines_in_arrival_order(app):
    with app.app_context():
        feed_id = datasets.create_feed(team_of("ada"), "Live").id

    def push(worker: int) -> list[int]:
        with app.app_context():
            feed = db.session.get(Dataset, feed_id)
            texts = [f"worker {worker} text {index}" for index in range(2 * BATCH + 1)]
            return datasets.append_texts(feed, parsed(*texts))

    with ThreadPoolExecutor(max_workers=4) as pool:
        pushed = list(pool.map(push, range(4)))

    rows = stored_texts(app)
    assert sorted(text_id for ids in pushed for text_id in ids) == [row.id for row in rows]
    assert [row.line for row in rows] == list(range(1, 4 * (2 * BATCH + 1) + 1))
    for ids in pushed:  # each push is one unbroken run of lines
        lines = [row.line for row in rows if row.id in set(ids)]
        assert lines == list(range(lines[0], lines[0] + len(ids)))


def parsed(*texts: str) -> list[ParsedText]:
    return [ParsedText(line=0, text=text) for text in texts]
