"""The review queue's query on PostgreSQL: its keyed hash in 64-bit integers without overflow,
the same keys as on SQLite, and the same order."""

import os

import pytest
from sqlalchemy import BigInteger, literal, select

from emolytics.extensions import db
from emolytics.pipeline import review, review_order
from emolytics.tables import Dataset
from tests.web.review_texts import _dataset, _key, _results

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"), reason="set TEST_DATABASE_URL (PostgreSQL)"
    ),
]
# ids at the edges of what the hash sees: small, around 2**31 and 2**32, and far past them
TEXT_IDS = [1, 2, 12345, 2**31 - 1, 2**31, 2**32 - 1, 2**32 + 7, 2**62]


@pytest.mark.parametrize("dataset_id", [1, 977, 2**31 - 1])
def test_keys_are_the_same_integers_as_in_python(app, dataset_id):
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        for text_id in TEXT_IDS:
            key = review_order.sample_key(dataset_id, literal(text_id, BigInteger))
            assert db.session.scalar(select(key)) == _key(dataset_id, text_id), text_id


def test_the_queue_orders_by_margin_with_a_random_text_every_fourth(app):
    dataset_id = _dataset(app)
    results = _results(app, dataset_id)
    with app.app_context():
        listed = review.queue(db.session.get(Dataset, dataset_id), 100)
    scored = {text_id for text_id, result in results.items() if result.margin is not None}
    assert sorted(item.text_id for item in listed) == sorted(scored)
    assert [item.sample for item in listed] == [place % 4 == 3 for place in range(len(scored))]
    unsure = [item for item in listed if not item.sample]
    assert unsure == sorted(unsure, key=lambda item: (item.margin, item.text_id))
    for place, item in enumerate(listed):
        if item.sample:
            rest = scored - {earlier.text_id for earlier in listed[:place]}
            assert item.text_id == min(rest, key=lambda text_id: _key(dataset_id, text_id))
