"""Models train from the sheet of a workbook the team chooses, on the page and through the API
(the sheet is kept with the file until the training job reads it); a sheet no workbook has, or
one named for a file that is not a workbook, is refused before any model or job exists."""

import csv
import io

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import EmotionModel, Job
from tests.engine.workbook_files import workbook_sheets
from tests.web.api_calls import call
from tests.web.model_steps import SUPPORT_TICKETS, train

LABELED = workbook_sheets(
    {
        "Read me": [["Support tickets, labelled by the help desk"], ["72 tickets"]],
        "Labels": list(csv.reader(io.StringIO(SUPPORT_TICKETS))),
    }
)


def test_a_model_trains_from_the_sheet_chosen_on_the_page(app, client, auth):
    auth.login()
    response = train(auth, LABELED, "tickets.xlsx", sheet="Labels")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Cross-validated quality (stratified 5-fold, 72 rows)" in page
    with app.app_context():
        model = db.session.scalar(select(EmotionModel))
        assert (model.labels, model.training_sheet) == (["billing", "bug", "question"], "Labels")


def test_a_model_trains_from_the_sheet_named_through_the_api(app, api):
    form = {
        "name": "Tickets",
        "text_column": "ticket",
        "label_column": "topic",
        "sheet": "labels",  # its case aside
        "file": (io.BytesIO(LABELED), "tickets.xlsx"),
    }
    answer = call(api, "POST", "/api/v1/models", data=form)
    assert answer.status_code == 202, answer.json
    model = call(api, "GET", f"/api/v1/models/{answer.json['id']}").json
    assert model["labels"] == ["billing", "bug", "question"]


@pytest.mark.parametrize(
    ("content", "filename", "sheet", "message"),
    [
        (
            LABELED,
            "tickets.xlsx",
            None,
            "Sheet 'Read me' has no column named 'ticket' for the texts",
        ),
        (LABELED, "tickets.xlsx", "Tickets", "The workbook has no sheet named 'Tickets': its "),
        (SUPPORT_TICKETS.encode(), "tickets.csv", "Labels", "A sheet ('Labels') is named, but "),
    ],
    ids=["first-sheet", "no-such-sheet", "not-a-workbook"],
)
def test_a_sheet_without_the_labeled_texts_is_refused_at_once(
    app, auth, api, content, filename, sheet, message
):
    auth.login()
    fields = {"sheet": sheet} if sheet else {}
    page = train(auth, content, filename, **fields)
    assert page.status_code == 400
    assert message.replace("'", "&#39;") in page.get_data(as_text=True)
    form = {
        "name": "Tickets",
        "text_column": "ticket",
        "label_column": "topic",
        **fields,
        "file": (io.BytesIO(content), filename),
    }
    answer = call(api, "POST", "/api/v1/models", data=form)
    assert answer.status_code == 400 and answer.json["error"]["message"].startswith(message)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 0
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
