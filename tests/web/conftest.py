"""Fixtures shared by the web test modules: a dataset uploaded through the page, small batches."""

import pytest

from emolytics.pipeline import bulk
from tests.web.bulk_rows import BATCH, ID_BLOCK
from tests.web.uploads import REVIEWS, upload


@pytest.fixture
def dataset_id(app, client, auth) -> int:
    auth.login()
    response = upload(auth, REVIEWS)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bulk writes in batches of BATCH rows (a module asks for it with its `pytestmark`)."""
    monkeypatch.setattr(bulk, "BATCH", BATCH)
    monkeypatch.setattr(bulk, "TEXT_ID_BLOCK", ID_BLOCK)
    # PostgreSQL: the tags held for their COPY go to disk, and are sent cut mid-line
    monkeypatch.setattr(bulk, "TAG_SPOOL_BYTES", 64)
    monkeypatch.setattr(bulk, "TAG_CHUNK_BYTES", 10)
