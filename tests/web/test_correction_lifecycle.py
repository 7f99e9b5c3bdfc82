"""Corrections kept and gone: exports carry both labels, re-runs keep them, deletion ends them."""

import csv
import io
import json

from sqlalchemy import select

from emolytics.extensions import db
from emolytics.pipeline import jobs
from emolytics.tables import Correction, Dataset
from tests.conftest import team_of
from tests.web.correction_steps import (
    _assert_counts_are_a_full_recount,
    _correct_on_page,
    _distribution,
    _rows_count,
    _text,
    _upload,
)
from tests.web.model_steps import train


def test_exports_carry_both_labels(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    rows = list(csv.DictReader(io.StringIO(client.get(f"/datasets/{dataset_id}/export.csv").text)))
    by_id = {int(row["id"]): row for row in rows}
    assert (by_id[text_id]["label"], by_id[text_id]["model_label"]) == ("anger", "joy")
    assert by_id[text_id]["corrected"] == "true"
    assert sum(row["corrected"] == "true" for row in rows) == 1
    assert all(row["label"] == row["model_label"] for row in rows if row["corrected"] == "false")
    lines = client.get(f"/datasets/{dataset_id}/export.jsonl?corrected=true").text.splitlines()
    assert [json.loads(line)["model_label"] for line in lines] == ["joy"]
    assert json.loads(lines[0])["corrected"] is True and json.loads(lines[0])["label"] == "anger"


def test_corrections_survive_a_rerun_and_a_keyword_edit(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    removed_id, _ = _text(app, dataset_id, "I love the new tram 3")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    _correct_on_page(auth, dataset_id, removed_id, "fear")
    auth.post(f"/datasets/{dataset_id}/texts/{removed_id}/label/remove", {})
    corrected = _distribution(client, dataset_id)
    with app.app_context():
        first_job = db.session.get(Dataset, dataset_id).current_job_id
    rerun = auth.post(
        f"/datasets/{dataset_id}/analyze", {"model": ""}, token_from=f"/datasets/{dataset_id}"
    )
    assert rerun.status_code == 302
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).current_job_id != first_job
    assert _text(app, dataset_id, "I love the new tram 0") == (text_id, "anger")
    assert _text(app, dataset_id, "I love the new tram 3") == (removed_id, "joy")
    assert _distribution(client, dataset_id) == corrected
    assert client.get(f"/datasets/{dataset_id}/summary.json").json["corrected"] == 1
    _assert_counts_are_a_full_recount(app, dataset_id)
    edited = auth.post(
        f"/datasets/{dataset_id}/keywords",
        {"keywords": "tickets"},
        token_from=f"/datasets/{dataset_id}",
    )
    assert edited.status_code == 302
    assert _distribution(client, dataset_id) == corrected
    assert client.get(f"/datasets/{dataset_id}/summary.json").json["corrected"] == 1
    assert _distribution(client, dataset_id, "keyword=tickets")["anger"] == 0


def test_deleting_the_dataset_deletes_its_corrections(app, client, auth):
    dataset_id = _upload(auth)
    kept_id = _upload(auth, signed_in=True)
    for dataset in (dataset_id, kept_id):
        text_id, _ = _text(app, dataset, "I love the new tram 0")
        _correct_on_page(auth, dataset, text_id, "anger")
    assert _rows_count(app, Correction) == 2
    page = f"/datasets/{dataset_id}/delete"
    response = auth.post(page, {"confirm_name": "Tram"})
    assert response.status_code == 302
    with app.app_context():
        left = db.session.scalars(select(Correction.dataset_id)).all()
    assert left == [kept_id]


def test_deleting_the_team_deletes_its_corrections(app, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    with app.app_context():
        jobs.delete_teams([team_of("ada")])
        db.session.commit()
    assert _rows_count(app, Correction) == 0


def test_a_model_without_the_label_leaves_the_correction_until_one_with_it_runs(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "The app crashed again, I am furious 1")
    _correct_on_page(auth, dataset_id, text_id, "sadness")
    model_id = int(train(auth).location.rsplit("/", 1)[1])
    dataset_page = f"/datasets/{dataset_id}"
    auth.post(f"{dataset_page}/analyze", {"model": str(model_id)}, token_from=dataset_page)
    summary = client.get(f"{dataset_page}/summary.json").json
    assert summary["labels"] == ["billing", "bug", "question"] and summary["corrected"] == 0
    page = client.get(f"{dataset_page}/texts/{text_id}").get_data(as_text=True)
    assert 'data-role="correction">Corrected by ada to sadness' in page  # kept, not applied
    assert "not applied, as the model “Tickets” has no label “sadness”" in page
    auth.post(f"{dataset_page}/analyze", {"model": ""}, token_from=dataset_page)
    assert _text(app, dataset_id, "The app crashed again, I am furious 1") == (text_id, "sadness")
    assert client.get(f"{dataset_page}/summary.json").json["corrected"] == 1
