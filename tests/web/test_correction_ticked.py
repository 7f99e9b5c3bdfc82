"""One label for the texts ticked in the texts table, or listed to the API: all of them or none,
counted at once, back to the same filtered page; refusals in words; another dataset's text is a
404."""

from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import Correction, CorrectionSource, TextRow
from tests.conftest import csrf_token, team_of
from tests.web.alerts_world import build, flat_hours
from tests.web.api_calls import call, error_code
from tests.web.correction_steps import (
    _assert_counts_are_a_full_recount,
    _distribution,
    _rows_count,
    _text,
    _upload,
)


def _set_ticked(auth, dataset_id: int, text_ids: list, label: str, **extra: str):
    table = f"/datasets/{dataset_id}/texts"
    form = {"label": label, "text_id": [str(id_) for id_ in text_ids], **extra}
    form["csrf_token"] = csrf_token(auth.client, table)
    return auth.client.post(f"{table}/labels", data=form)


def test_ticked_texts_get_one_label_and_the_counts_follow(app, client, auth):
    dataset_id = _upload(auth)
    table = f"/datasets/{dataset_id}/texts?keyword=tram"
    page = client.get(table).get_data(as_text=True)
    assert page.count('name="text_id"') == 8 and 'form="correct-ticked"' in page
    assert 'data-role="correct-ticked"' in page and "Tick every text of this page" in page
    assert "<title>Texts · Tram · Emolytics</title>" in page
    assert page.count('src="/static/js/texts.js"') == 1
    ticked = [_text(app, dataset_id, f"I love the new tram {n}")[0] for n in (0, 3, 6)]
    before = _distribution(client, dataset_id)

    response = _set_ticked(auth, dataset_id, [*ticked, ticked[0]], "fear", next=table)
    assert response.status_code == 302 and response.location == table
    shown = client.get(table).get_data(as_text=True)
    assert "Label set to fear for 3 texts." in shown
    after = _distribution(client, dataset_id)
    assert after["fear"] == before["fear"] + 3 and after["joy"] == before["joy"] - 3
    with app.app_context():
        made = db.session.scalars(select(Correction).order_by(Correction.text_id)).all()
        assert [(row.text_id, row.label, row.model_label) for row in made] == [
            (text_id, "fear", "joy") for text_id in sorted(ticked)
        ]
        assert {row.source for row in made} == {CorrectionSource.TEXT}
    _assert_counts_are_a_full_recount(app, dataset_id)
    corrected = client.get(f"/datasets/{dataset_id}/texts?corrected=true").get_data(as_text=True)
    assert "3 texts match" in corrected


def test_ticked_texts_are_all_corrected_or_none(app, client, auth):
    dataset_id = _upload(auth)
    mine, _ = _text(app, dataset_id, "I love the new tram 0")
    with app.app_context():
        other_dataset = build(team_of("ada"), 2, flat_hours(2, 0.5))
        foreign = db.session.scalar(select(TextRow.id).where(TextRow.dataset_id == other_dataset))
    refused = _set_ticked(auth, dataset_id, [mine, foreign], "fear")
    assert refused.status_code == 404  # another dataset's text, even of the same team
    assert _rows_count(app, Correction) == 0

    for text_ids, label, message in [
        ([], "fear", "Tick the texts to correct first."),
        ([mine], "", "Choose the label to set."),
        (["x1"], "fear", "The ticked texts could not be read: tick them again."),
        ([mine], "boredom", "boredom"),
        (list(range(1, 202)), "fear", "Correct at most 200 texts at once."),
    ]:
        answer = _set_ticked(auth, dataset_id, text_ids, label)
        assert answer.status_code == 400, (text_ids[:2], label)
        assert message in answer.get_data(as_text=True)
    assert _rows_count(app, Correction) == 0


def test_the_api_sets_one_label_for_several_texts(app, client, auth, api):
    dataset_id = _upload(auth)
    first, second = (_text(app, dataset_id, f"I love the new tram {n}")[0] for n in (0, 3))
    url = f"/api/v1/datasets/{dataset_id}/texts/labels"
    answer = call(api, "PUT", url, json={"text_ids": [second, first, second], "label": "fear"})
    assert answer.status_code == 200, answer.json
    assert [
        (text["id"], text["label"], text["model_label"], text["corrected"])
        for text in answer.json["texts"]
    ] == [  # fmt: skip
        (second, "fear", "joy", True),
        (first, "fear", "joy", True),
    ]
    assert call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json["corrected"] == 2

    with app.app_context():
        other = build(team_of("ada"), 2, flat_hours(2, 0.5))
        foreign = db.session.scalar(select(TextRow.id).where(TextRow.dataset_id == other))
    third, _ = _text(app, dataset_id, "I love the new tram 6")
    missing = call(api, "PUT", url, json={"text_ids": [third, foreign], "label": "anger"})
    assert missing.status_code == 404
    for body, status, code in [
        ({"text_ids": [third], "label": "boredom"}, 422, "unknown_label"),
        ({"text_ids": [], "label": "anger"}, 400, "invalid_text_ids"),
        ({"text_ids": [str(third)], "label": "anger"}, 400, "invalid_text_ids"),
        ({"text_ids": [2**40], "label": "anger"}, 400, "invalid_text_ids"),
        ({"text_ids": list(range(1, 202)), "label": "anger"}, 400, "invalid_text_ids"),
        ({"text_ids": [third], "label": 3}, 400, "invalid_label"),
        ({"text_ids": [third]}, 400, "invalid_label"),
    ]:
        refused = call(api, "PUT", url, json=body)
        assert (refused.status_code, error_code(refused)) == (status, code), body
    assert _rows_count(app, Correction) == 2  # the first answer's two, nothing since
