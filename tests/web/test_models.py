"""Trained models through the pages: train as a job, inspect, use on a dataset, delete."""

import csv
import html
import io
import json
import re
import time

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import analyzers, datasets, jobs
from emolytics.tables import Dataset, EmotionModel, Job, Result
from tests.conftest import AuthActions, csrf_token, team_of
from tests.web.model_steps import SUPPORT_TICKETS, labeled_tickets, train
from tests.web.uploads import upload


def test_train_inspect_use_and_delete(app, client, auth):
    auth.login()
    response = train(auth)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Cross-validated quality (stratified 5-fold, 72 rows)" in page
    assert "Confusion matrix" in page
    assert "Settings chosen on your data" in page
    assert "No per-label offsets" in page  # every fold was right: nothing to win back
    with app.app_context():
        model = db.session.scalar(select(EmotionModel))
        assert model.labels == ["billing", "bug", "question"]
        assert model.metrics["macro_f1"] > 0.9
        selection = model.metrics["selection"]
        assert f"Chosen: <strong>{selection['chosen']['description']}</strong>" in page
        assert len(selection["candidates"]) >= 8
        for candidate in selection["candidates"]:
            assert f"<td>{candidate['features']}</td>" in page
            assert f"{candidate['macro_f1']:.4f}" in page
        best = max(candidate["macro_f1"] for candidate in selection["candidates"])
        assert f"{best:.4f} (chosen)" in page
        assert model.artifact is not None and model.training_csv is None
        model_id = model.id
        offsets = {"billing": 0.4, "bug": 0, "question": -0.3}
        model.metrics = {**model.metrics, "label_bias": offsets, "macro_f1_without_bias": 0.812}
        db.session.commit()
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "Per-label offsets, added to its scores before the best label is taken: billing " in page
    assert "billing +0.4, bug +0, question -0.3" in page
    assert "raise the cross-validated macro-F1 from 0.812" in page
    assert "Tickets" in client.get("/models").get_data(as_text=True)

    form = {
        "name": "Inbox",
        "csrf_token": csrf_token(client, "/datasets/new"),
        "file": (io.BytesIO(b"text\nI got charged twice\nThe app crashes on start\n"), "a.csv"),
    }
    dataset_url = client.post("/datasets/new", data=form).location
    shown = client.get(dataset_url).get_data(as_text=True)
    assert '<option selected value="">Default analyzer (current)</option>' in shown
    assert f'<option value="{model_id}">Tickets</option>' in shown
    rerun = auth.post(f"{dataset_url}/analyze", {"model": str(model_id)}, token_from=dataset_url)
    assert rerun.status_code == 302
    shown = client.get(dataset_url).get_data(as_text=True)  # "Analyse again" offers it first
    assert f'<option selected value="{model_id}">Tickets (current)</option>' in shown
    assert '<option value="">Default analyzer</option>' in shown
    summary = client.get(f"{dataset_url}/summary.json").json
    assert summary["labels"] == ["billing", "bug", "question"]
    assert {item["label"]: item["count"] for item in summary["distribution"]} == {
        "billing": 1,
        "bug": 1,
        "question": 0,
    }

    deleted = auth.post(f"/models/{model_id}/delete", {"confirm_name": "Tickets"})
    assert deleted.location == "/models"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 0
        dataset = db.session.scalar(select(Dataset))
        assert dataset.current_job_id is None  # its analysis used the deleted model
        assert db.session.scalar(select(func.count()).select_from(Result)) == 0
    assert client.get(dataset_url).status_code == 200


def test_training_failures_reach_the_page(app, client, auth):
    auth.login()
    only_one_label = "ticket,topic\n" + "a text,billing\n" * 10
    response = train(auth, only_one_label)
    page = client.get(response.location).get_data(as_text=True)
    assert "failed" in page
    assert "at least 2 labels" in page
    with app.app_context():
        assert [job.status for job in db.session.scalars(select(Job))] == ["failed"]


@pytest.mark.parametrize(
    ("columns", "field", "message"),
    [
        (
            {"text_column": "text"},
            "text_column",
            "column named 'text' for the texts: it has 'ticket', 'topic'.",
        ),
        ({"label_column": "category"}, "label_column", "no column named 'category' for the labels"),
        (
            {"label_column": "ticket"},
            "label_column",
            "Choose two different columns for the texts and the labels.",
        ),
    ],
)
def test_a_file_without_the_columns_named_is_refused_at_once(app, auth, columns, field, message):
    auth.login()
    response = train(auth, SUPPORT_TICKETS, **columns)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    errors = re.search(rf'id="{field}-errors"><p class="error">(.*?)</p>', page, re.S)
    assert errors and message in errors.group(1)
    assert re.search(rf'<[^>]*aria-describedby="{field}-errors"[^>]*id="{field}"', page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 0
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_semicolon_separated_file_trains_as_excel_saves_it(app, auth):
    auth.login()
    assert train(auth, "sep=;\n" + SUPPORT_TICKETS.replace(",", ";")).status_code == 302
    with app.app_context():
        model = db.session.scalar(select(EmotionModel))
        assert model.labels == ["billing", "bug", "question"] and model.training_rows == 72


def test_a_binary_training_file_is_refused_at_once(app, client, auth):
    auth.login()
    response = train(auth, "\x00\x01 not a csv \x00")
    assert response.status_code == 400
    assert "This looks like a binary file" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 0
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_model_trains_from_an_excel_workbook(app, client, auth):
    book = Workbook()
    for row in csv.reader(io.StringIO(SUPPORT_TICKETS)):
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    auth.login()
    response = train(auth, content.getvalue(), "tickets.xlsx")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Cross-validated quality (stratified 5-fold, 72 rows)" in page
    with app.app_context():
        assert db.session.scalar(select(EmotionModel)).labels == ["billing", "bug", "question"]
    missing = train(auth, content.getvalue(), "tickets.xlsx", label_column="Topic")
    assert missing.status_code == 400
    assert "The file has no column named &#39;Topic&#39; for the labels" in missing.get_data(
        as_text=True
    )


def test_a_model_trains_from_json_lines(app, client, auth):
    """As labeled data sets are often shared."""
    rows = csv.DictReader(io.StringIO(SUPPORT_TICKETS))
    lines = "".join(json.dumps(row) + "\n" for row in rows)
    auth.login()
    response = train(auth, lines, "tickets.jsonl")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(EmotionModel)).labels == ["billing", "bug", "question"]
    missing = train(auth, lines, "tickets.jsonl", text_column="body", name="Second")
    assert "The file has no column named &#39;body&#39; for the texts" in missing.get_data(
        as_text=True
    )


def test_model_form_refusals(app, auth):
    auth.login()
    assert train(auth, "").status_code == 400
    for filename, message in [
        ("tickets.xlsx", "This .xlsx file is not a spreadsheet that can be read."),
        ("tickets.ods", "This .ods file is not a spreadsheet that can be read."),
        ("tickets.numbers", "Use a CSV file, a spreadsheet (.xlsx, .xls or .ods) or JSON"),
    ]:
        response = train(auth, "a", filename)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_another_users_model_is_404(app, auth):
    auth.login()
    model_url = train(auth).location
    intruder = AuthActions(app.test_client())
    intruder.register("mallory", "violet harbour 1987")
    assert intruder.client.get(model_url).status_code == 404
    assert intruder.client.get(f"{model_url}/delete").status_code == 404
    confirmed = {"confirm_name": "Tickets"}
    assert (
        intruder.post(f"{model_url}/delete", confirmed, token_from="/dashboard").status_code == 404
    )
    assert "Tickets" not in intruder.client.get("/models").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 1


MOODS = labeled_tickets(
    [
        ("I love how fast the refund was", "happy"),
        ("Great service, thank you so much", "happy"),
        ("This is the worst support ever", "angry"),
        ("I am furious about the wait", "angry"),
    ]
)


def test_a_new_model_given_a_deleted_models_id_labels_with_its_own_labels(app, client, auth):
    """A model deleted by another process is not forgotten here, and SQLite gives its id to the
    next model: that one must still label with its own labels, never the deleted model's."""
    auth.login()
    form = {
        "name": "Inbox",
        "csrf_token": csrf_token(client, "/datasets/new"),
        "file": (io.BytesIO(b"text\nI got charged twice\nThe app crashes on start\n"), "a.csv"),
    }
    dataset_url = client.post("/datasets/new", data=form).location

    def rerun_with_the_latest_model() -> list[str]:
        with app.app_context():
            model_id = db.session.scalar(select(func.max(EmotionModel.id)))
        auth.post(f"{dataset_url}/analyze", {"model": str(model_id)}, token_from=dataset_url)
        return sorted(client.get(f"{dataset_url}/summary.json").json["labels"]), model_id

    train(auth)
    assert rerun_with_the_latest_model()[0] == ["billing", "bug", "question"]
    remembered = dict(analyzers._analyzers)
    with app.app_context():
        jobs.delete_model(db.session.scalar(select(EmotionModel)))
    analyzers._analyzers.update(remembered)  # as when another process deleted it
    time.sleep(0.01)  # trained at another moment
    train(auth, MOODS, name="Moods")
    labels, model_id = rerun_with_the_latest_model()
    assert labels == ["angry", "happy"]
    with app.app_context():
        job_id = db.session.scalar(select(Dataset.current_job_id))
        assert db.session.scalar(select(Job.model_id).where(Job.id == job_id)) == model_id
        results = db.session.scalars(select(Result.label).where(Result.job_id == job_id))
        assert set(results) <= {"angry", "happy"}


def test_a_model_analyses_any_dataset_of_the_team_from_its_page(app, client, auth):
    auth.login()
    model_url = train(auth).location
    assert "No dataset yet" in client.get(model_url).get_data(as_text=True)
    dataset_url = upload(auth, "text\nI got charged twice\nThe app crashes on start\n").location
    dataset_id = int(dataset_url.rsplit("/", 1)[1])
    with app.app_context():
        empty = datasets.create_feed(team_of("ada"), "Empty feed", ()).id
        db.session.commit()
    page = client.get(model_url).get_data(as_text=True)
    assert f'<option value="{dataset_id}">Reviews</option>' in page
    assert f'<option value="{empty}">Empty feed</option>' in page

    analysed = auth.post(f"{model_url}/analyze", {"dataset": str(dataset_id)})
    assert analysed.location == dataset_url
    shown = client.get(dataset_url).get_data(as_text=True)
    assert "Analysing “Reviews” with the model “Tickets”." in shown
    summary = client.get(f"{dataset_url}/summary.json").json
    assert summary["labels"] == ["billing", "bug", "question"] and summary["analysed"] == 2

    nothing = auth.post(f"{model_url}/analyze", {"dataset": str(empty)})
    assert nothing.location == model_url
    assert "no texts to analyse" in client.get(model_url).get_data(as_text=True)
    for refused in ("", "abc", "999999"):
        assert auth.post(f"{model_url}/analyze", {"dataset": refused}).status_code == 400

    intruder = AuthActions(app.test_client())
    intruder.register("mallory", "violet harbour 1987")
    intruders = upload(intruder, "text\nhello\n").location.rsplit("/", 1)[1]
    theirs = intruder.post(f"{model_url}/analyze", {"dataset": intruders}, token_from="/dashboard")
    assert theirs.status_code == 404  # not their model
    assert auth.post(f"{model_url}/analyze", {"dataset": intruders}).status_code == 400
    with app.app_context():
        analysed = select(Job.dataset_id).where(Job.model_id == int(model_url.rsplit("/", 1)[1]))
        assert db.session.scalars(analysed.where(Job.kind == "analysis")).all() == [dataset_id]
