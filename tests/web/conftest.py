"""Fixtures shared by the web test modules: a dataset uploaded, small batches, the Research team."""

import pytest
from flask import Flask

from emolytics.accounts import registration, teams
from emolytics.pipeline import bulk
from tests.conftest import PASSWORD, SETUP, join_team, team_of
from tests.web.bulk_rows import BATCH, ID_BLOCK
from tests.web.research_team import _dataset
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


@pytest.fixture
def research(app: Flask) -> int:
    """Team "Research", owned by olive, with grace (analyst) and ada (viewer); a dataset."""
    with app.app_context():
        olive = registration.register("olive", PASSWORD)
        registration.register("grace", PASSWORD)
        team_id = teams.create_team(olive, "Research", SETUP).id
        join_team(team_id, "grace", "analyst")
        join_team(team_id, "ada", "viewer")
        _dataset(team_id, "Research texts")
        _dataset(team_of("ada"), "Ada own texts")
    return team_id
