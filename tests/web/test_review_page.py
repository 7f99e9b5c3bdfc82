"""The review page: labels, skip, undo, the sample drawn, number keys; and who may review."""

import re

import pytest
from sqlalchemy import select

from emolytics.accounts import registration
from emolytics.engine import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import corrections, datasets, review
from emolytics.tables import Correction, CorrectionSource, Dataset
from tests.conftest import PASSWORD, csrf_token, join_team, team_of
from tests.web.api_calls import call
from tests.web.review_texts import GERMAN, _dataset, _post, _shown

LIMIT_MESSAGE = "limit must be a whole number from 1 to 100."


# --- the page ----------------------------------------------------------------------------------


def test_labelling_skipping_and_undoing_on_the_page(app, auth):
    dataset_id = _dataset(app)
    with app.app_context():
        listed = review.queue(db.session.get(Dataset, dataset_id), 16)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url).get_data(as_text=True)
    assert "0 reviewed · 16 remaining" in page
    assert _shown(page) == (listed[0].text_id, False)

    _post(auth, url, page, label="anger")
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[1].text_id, False)
    assert "1 reviewed · 15 remaining" in page
    with app.app_context():
        correction = db.session.get(Correction, (dataset_id, listed[0].text_id))
        assert (correction.label, correction.source) == ("anger", CorrectionSource.REVIEW)

    _post(auth, f"{url}/skip", page)  # skipped: the next one comes
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[2].text_id, False)
    assert "1 text skipped" in page

    _post(auth, url, page, label="joy")
    _post(auth, f"{url}/undo", auth.client.get(url).get_data(as_text=True))
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[2].text_id, False)  # back to the text undone
    assert "The last label is undone." in page
    with app.app_context():
        assert db.session.get(Correction, (dataset_id, listed[2].text_id)) is None

    _post(auth, f"{url}/undo", page)  # and the one before
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[0].text_id, False)
    assert "0 reviewed · 16 remaining" in page

    _post(auth, f"{url}/skipped", page)  # clear the skipped: the skipped text is back
    _post(auth, f"{url}/skip", auth.client.get(url).get_data(as_text=True))
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[1].text_id, False)


def test_the_text_drawn_at_random_is_stored_as_a_sample(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    for _ in range(3):
        _post(auth, url, auth.client.get(url).get_data(as_text=True), label="joy")
    page = auth.client.get(url).get_data(as_text=True)
    text_id, sample = _shown(page)
    assert sample and "Drawn at random" in page
    _post(auth, url, page, label="fear")
    with app.app_context():
        sources = db.session.scalars(select(Correction.source))
        assert sorted(sources) == ["review"] * 3 + ["sample"]
        assert db.session.get(Correction, (dataset_id, text_id)).label == "fear"


def test_the_form_cannot_claim_a_sample_or_another_text(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url).get_data(as_text=True)
    text_id, _ = _shown(page)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    csrf = csrf_token(auth.client, url)
    for fields in (
        {"text_id": text_id, "token": token + "x"},  # altered
        {"text_id": text_id + 1, "token": token},  # signed for another text
        {"text_id": text_id},  # no token
    ):
        response = auth.client.post(url, data={"csrf_token": csrf, "label": "joy", **fields})
        assert response.status_code == 400
        assert "out of date" in response.get_data(as_text=True)
    response = auth.client.post(
        url, data={"csrf_token": csrf, "label": "smug", "text_id": text_id, "token": token}
    )
    assert response.status_code == 400 and "Unknown label" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Correction)).all() == []


def test_the_page_has_a_number_key_per_label(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    keys = re.findall(r'name="label" value="(\w+)" data-key="(\d)"', page)
    assert keys == [(label, str(n)) for n, label in enumerate(EMOTIONS, start=1)]
    assert 'data-key="s"' in page and "/static/js/keys.js" in page
    script = auth.client.get("/static/js/keys.js")
    body = script.get_data()
    script.close()  # a file response: release the file
    assert script.status_code == 200 and b"data-key" in body
    shown = auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert f'href="/datasets/{dataset_id}/review"' in shown  # linked from the dataset's page


def test_an_empty_queue_says_so(app, auth, api):
    dataset_id = _dataset(app, ["I love the tram", GERMAN])
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    _post(auth, url, auth.client.get(url).get_data(as_text=True), label="joy")
    page = auth.client.get(url).get_data(as_text=True)
    assert "Nothing left to review" in page and "data-text-id" not in page
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json
    assert answer["items"] == [] and (answer["reviewed"], answer["remaining"]) == (1, 0)


def test_a_dataset_not_analysed_yet_has_no_queue(app, auth, api):
    with app.app_context():
        dataset_id = datasets.create_feed(team_of("ada"), "Empty feed").id
    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "The review starts when the first analysis has finished." in page
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json
    assert (answer["items"], answer["reviewed"], answer["remaining"]) == ([], 0, 0)


def test_undo_keeps_a_label_changed_since(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url).get_data(as_text=True)
    text_id, _ = _shown(page)
    _post(auth, url, page, label="joy")
    with app.app_context():  # someone changes it on the text's page
        dataset = db.session.get(Dataset, dataset_id)
        corrections.correct(dataset, text_id, "fear", None)
    _post(auth, f"{url}/undo", auth.client.get(url).get_data(as_text=True))
    page = auth.client.get(url).get_data(as_text=True)
    assert "That label was changed since" in page and "Undo the last label" not in page
    with app.app_context():
        assert db.session.get(Correction, (dataset_id, text_id)).label == "fear"


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "101", "ten", "-1", "2.5"])
def test_a_bad_limit_is_refused(app, api, limit):
    dataset_id = _dataset(app, ["I love the tram"])
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit={limit}")
    assert response.status_code == 400
    assert response.json["error"] == {"code": "invalid_parameter", "message": LIMIT_MESSAGE}


def test_another_teams_queue_is_not_found(app, api, auth):
    with app.app_context():
        registration.register("bob", PASSWORD)
    theirs = _dataset(app, ["I love the tram"], owner="bob")
    assert call(api, "GET", f"/api/v1/datasets/{theirs}/review").status_code == 404
    auth.login()
    assert auth.client.get(f"/datasets/{theirs}/review").status_code == 404


def test_a_viewer_sees_the_queue_but_cannot_label(app, auth):
    dataset_id = _dataset(app)
    with app.app_context():
        registration.register("vera", PASSWORD)
        join_team(team_of("ada"), "vera", "viewer")
        team_id = team_of("ada")
    auth.login("vera")
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url, query_string={"team": team_id}).get_data(as_text=True)
    assert "data-text-id" in page and 'name="label"' not in page
    assert "labelling texts needs the analyst role" in page
    csrf = csrf_token(auth.client, "/account/tokens")
    for action in ("", "/skip", "/undo", "/skipped"):
        assert auth.client.post(url + action, data={"csrf_token": csrf}).status_code == 403
