"""The quick analysis with one of the team's models: chosen on the page or by `?model=<id>`
from the model's page, named with its labels and languages; another team's model is not
offered and not taken."""

import html
import re

from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import EmotionModel
from tests.conftest import csrf_token
from tests.web.model_steps import train
from tests.web.multilingual import MULTILINGUAL


def _quick(auth, text: str, model: str = ""):
    form = {"text": text, "model": model, "csrf_token": csrf_token(auth.client, "/analyze")}
    return auth.client.post("/analyze", data=form)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _chosen(page: str) -> str | None:
    """The value of the model chosen in the form (None: no model field)."""
    field = re.search(r'<select[^>]*name="model"[^>]*>(.*?)</select>', page, re.S)
    if field is None:
        return None
    selected = re.search(r'<option selected value="([^"]*)"', field.group(1))
    return selected.group(1) if selected else ""


def test_a_team_model_labels_the_quick_analysis(app, client, auth):
    auth.login()
    assert _chosen(client.get("/analyze").get_data(as_text=True)) is None  # only the default
    assert train(auth).status_code == 302
    with app.app_context():
        model_id = db.session.scalar(select(EmotionModel.id))
    model_page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert f'href="/analyze?model={model_id}" data-role="try-model"' in model_page
    page = client.get(f"/analyze?model={model_id}").get_data(as_text=True)
    assert _chosen(page) == str(model_id) and ">Tickets</option>" in page
    assert _chosen(client.get("/analyze").get_data(as_text=True)) == ""  # the default
    assert _chosen(client.get("/analyze?model=12345").get_data(as_text=True)) == ""

    answered = _quick(auth, "I was charged twice for my invoice", str(model_id))
    page = _text(answered)
    assert answered.status_code == 200
    assert 'Label: <span class="label emo-billing">billing</span>' in page
    assert "By the model “Tickets”." in page and "<th>Label</th><th>Score</th>" in page
    assert _chosen(page) == str(model_id)  # the next text goes to the same model
    french = " ".join(_text(_quick(auth, MULTILINGUAL[2][0], str(model_id))).split())
    assert "Label: not scored (language)" in french
    assert "the model “Tickets” reads en only: it gives no label" in french

    default = _text(_quick(auth, "I was charged twice for my invoice"))
    assert "By the default analyzer." in default and "<th>Emotion</th>" in default
    assert "Label:" not in default


def test_another_teams_model_is_not_offered_nor_taken(app, client, auth):
    auth.login()
    assert train(auth).status_code == 302
    with app.app_context():
        model_id = db.session.scalar(select(EmotionModel.id))
    auth.logout()
    auth.register("bea")
    page = client.get(f"/analyze?model={model_id}").get_data(as_text=True)
    assert "Tickets" not in page and _chosen(page) is None
    refused = _quick(auth, "I was charged twice", str(model_id))
    assert refused.status_code == 400
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert "billing" not in refused.get_data(as_text=True)


def test_one_text_per_line_gives_a_table_of_labels(auth):
    auth.login()
    lines = [
        "I love the new tram, it is wonderful",
        "",
        "The tram was late again and I am furious",
        MULTILINGUAL[1][0],
    ]
    form = {
        "text": "\n".join(lines),
        "lines": "y",
        "csrf_token": csrf_token(auth.client, "/analyze"),
    }
    page = _text(auth.client.post("/analyze", data=form))
    rows = re.findall(r'<tr data-role="line">(.*?)</tr>', page, re.S)
    assert "3 texts by the default analyzer" in page and len(rows) == 3  # the blank one skipped
    assert 'emo-joy">joy</span>' in rows[0] and 'emo-anger">anger</span>' in rows[1]
    assert "not scored (language)" in rows[2] and "<td>de</td>" in rows[2]
    assert "Why:" not in page  # the table has no explanations
    many = {**form, "text": "\n".join(f"text {n}" for n in range(101))}
    refused = auth.client.post("/analyze", data=many)
    assert refused.status_code == 400
    assert "At most 100 lines at once: upload a file for more." in refused.get_data(as_text=True)
