"""Fixtures shared by the web test modules: a dataset uploaded through the page."""

import pytest

from tests.web.uploads import REVIEWS, upload


@pytest.fixture
def dataset_id(app, client, auth) -> int:
    auth.login()
    response = upload(auth, REVIEWS)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])
