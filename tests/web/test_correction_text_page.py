"""Corrections on a text's page: every count moves at once, changes confirmed, bad ones refused."""

from emolytics.extensions import db
from emolytics.tables import Correction
from tests.conftest import csrf_token
from tests.web.correction_steps import (
    _assert_counts_are_a_full_recount,
    _correct_on_page,
    _distribution,
    _rows_count,
    _stored_counts,
    _text,
    _upload,
)


def test_correcting_on_the_text_page_moves_one_text_in_every_count(app, client, auth):
    dataset_id = _upload(auth)
    text_id, model_label = _text(app, dataset_id, "I love the new tram 0")
    assert model_label == "joy"
    before = _distribution(client, dataset_id)
    response = _correct_on_page(auth, dataset_id, text_id, "anger")
    assert response.status_code == 302
    assert response.location == f"/datasets/{dataset_id}/texts/{text_id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Label set to anger (the model said joy)." in page
    assert 'data-role="correction">Corrected by ada' in page
    assert "The model said joy (" in page
    # the reasons and the marks are the model's, for its own label
    assert "Why the model said joy: the terms that weighed most" in page
    assert '<mark class="emo-joy">love</mark>' in page and "emo-anger" not in page.split("<h3>")[1]
    after = _distribution(client, dataset_id)
    assert after == {**before, "joy": before["joy"] - 1, "anger": before["anger"] + 1}
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["corrected"] == 1 and summary["analysed"] == 24
    assert client.get(f"/datasets/{dataset_id}/summary.json?label=joy").json["corrected"] == 0
    tram = _distribution(client, dataset_id, "keyword=tram")
    assert tram["anger"] == 1
    _assert_counts_are_a_full_recount(app, dataset_id)
    with app.app_context():
        correction = db.session.get(Correction, (dataset_id, text_id))
        assert (correction.label, correction.model_label, correction.source) == (
            "anger",
            "joy",
            "text",
        )
        assert 0.5 < correction.model_score <= 1


def test_changing_and_removing_a_correction_through_the_confirm_step(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 3")
    before = _distribution(client, dataset_id)
    _correct_on_page(auth, dataset_id, text_id, "anger")
    _correct_on_page(auth, dataset_id, text_id, "fear")
    assert _distribution(client, dataset_id) == {
        **before,
        "joy": before["joy"] - 1,
        "fear": before["fear"] + 1,
    }
    assert _rows_count(app, Correction) == 1
    remove = f"/datasets/{dataset_id}/texts/{text_id}/label/remove"
    question = client.get(remove)
    assert question.status_code == 200
    assert "Remove this correction?" in question.get_data(as_text=True)
    assert "the model&#39;s label, joy" in question.get_data(as_text=True)
    unconfirmed = client.post(remove, data={})  # no CSRF token: nothing happens
    assert unconfirmed.status_code == 400 and _rows_count(app, Correction) == 1
    response = auth.post(remove, {})
    assert response.status_code == 302
    assert _distribution(client, dataset_id) == before
    assert _rows_count(app, Correction) == 0
    assert client.get(remove).status_code == 404
    _assert_counts_are_a_full_recount(app, dataset_id)


def test_a_bad_label_or_a_missing_text_is_refused_and_nothing_is_written(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "Tickets scare me 2")
    before = _stored_counts(app, dataset_id)
    refused = _correct_on_page(auth, dataset_id, text_id, "bliss")
    assert refused.status_code == 400
    assert "Unknown label &#39;bliss&#39;: choose one of the analysis&#39;s labels (anger, " in (
        refused.get_data(as_text=True)
    )
    token = csrf_token(client, f"/datasets/{dataset_id}/texts/{text_id}")
    no_label = client.post(
        f"/datasets/{dataset_id}/texts/{text_id}/label", data={"csrf_token": token}
    )
    assert no_label.status_code == 400
    missing = client.post(
        f"/datasets/{dataset_id}/texts/999999/label", data={"label": "joy", "csrf_token": token}
    )
    assert missing.status_code == 404
    assert _stored_counts(app, dataset_id) == before and _rows_count(app, Correction) == 0
