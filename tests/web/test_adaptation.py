"""Adapting a dataset's model to its corrections: a job that makes a normal team model."""

import io

from markupsafe import escape
from sqlalchemy import func, select

from emolytics.engine import adaptation, languages
from emolytics.extensions import db
from emolytics.tables import Correction, EmotionModel, Job, JobKind, JobStatus, Result, TextRow
from tests.conftest import AuthActions, csrf_token
from tests.web.multilingual import artifact_details

# Two words the default analyzer has never seen, which this team uses for joy and anger.
TEXTS = [f"the blorft arrived on day {n}" for n in range(25)] + [
    f"that grimbly form on day {n}" for n in range(25)
]
CORRECTED = {"blorft": "joy", "grimbly": "anger"}


def upload(client, name: str = "Inbox", texts: list[str] = TEXTS) -> str:
    form = {
        "name": name,
        "csrf_token": csrf_token(client, "/datasets/new"),
        "file": (io.BytesIO(("text\n" + "\n".join(texts) + "\n").encode()), "inbox.csv"),
    }
    response = client.post("/datasets/new", data=form)
    assert response.status_code == 302
    return response.location


def correct_all(app, dataset_url: str, limit: int | None = None) -> int:
    """Correct the dataset's texts by their made-up word (the corrections table, as the
    correcting pages leave it); how many were corrected."""
    dataset_id = int(dataset_url.rsplit("/", 1)[1])
    with app.app_context():
        rows = db.session.execute(
            select(TextRow.id, TextRow.text, Result.label, Result.confidence)
            .join(Result, Result.text_id == TextRow.id)
            .where(TextRow.dataset_id == dataset_id)
            .order_by(TextRow.id)
            .limit(limit)
        ).all()
        for row in rows:
            label = next(label for word, label in CORRECTED.items() if word in row.text)
            db.session.add(
                Correction(
                    dataset_id=dataset_id,
                    text_id=row.id,
                    label=label,
                    model_label=row.label,
                    model_score=row.confidence,
                )
            )
        db.session.commit()
    return len(rows)


def test_adapting_makes_a_model_that_learned_the_corrections(
    app, client, auth: AuthActions, tmp_path
):
    auth.login()
    dataset_url = upload(client)
    assert correct_all(app, dataset_url) == 50
    page = client.get(dataset_url).get_data(as_text=True)
    assert "50 corrected texts" in page
    assert "It also learns what this dataset's texts look like (up to 10,000 of them)" in page

    response = auth.post(f"{dataset_url}/adapt", {"name": "Blorft speak"}, token_from=dataset_url)

    assert response.status_code == 302
    with app.app_context():
        model = db.session.scalar(select(EmotionModel))
        job = db.session.scalar(select(Job).where(Job.kind == JobKind.ADAPTATION))
        assert (job.status, job.model_id, job.done) == (JobStatus.DONE, model.id, job.total)
        assert (model.name, model.kind, model.training_rows) == ("Blorft speak", "adapted", 50)
        assert model.languages == ["en"]  # the default's, in the row and in the file
        assert languages.recorded(artifact_details(model.artifact, tmp_path)) == {"en"}
        adapted = model.metrics["adaptation"]
        assert model.metrics["base"] == {"id": None, "name": "Default analyzer"}
        assert adapted["rows"] == 50 and adapted["chosen"]
        assert adapted["domain_texts"] == 50  # the dataset's texts taught the gates too
        assert model.metrics["macro_f1"] > adapted["base_cross_validation"]["macro_f1"] + 0.5
        forgetting = adapted["forgetting"]
        assert forgetting["rows"] > 500
        assert forgetting["macro_f1"] >= forgetting["base_macro_f1"] - 0.02
        model_id = model.id
    assert response.location == f"/models/{model_id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Adapted from Default analyzer" in page
    dataset_id = dataset_url.rsplit("/", 1)[1]
    assert f'<option selected value="{dataset_id}">' in page  # offered to analyse it again
    [chosen] = [candidate for candidate in adapted["candidates"] if candidate["chosen"]]
    assert chosen["changed"] >= 10 and chosen["likelihood_gain"] > 0 and chosen["p_value"] < 0.05
    assert adapted["rules"] == {
        "max_p": 0.05, "min_changed": 10, "min_agreement": 0.97, "max_forgetting": 0.03,
        "forgetting_weight": 2.0,
    }  # fmt: skip
    assert "gains most on the corrections after 2 times what it forgets" in page
    assert chosen["agreement"] >= 0.97
    shown = f"<td>{chosen['changed']}</td><td>{chosen['likelihood_gain']:+.3f}</td>"
    shown += f"<td>{chosen['p_value']:.3f}</td>"
    assert f"{shown}<td>{100 * chosen['agreement']:.1f}\N{NO-BREAK SPACE}%</td>" in page
    assert "kept only under 0.05" in page and "kept only from 97 %" in page
    assert f"{forgetting['base_macro_f1']:.3f} (base) → {forgetting['macro_f1']:.3f}" in page
    assert chosen["verdict"] == "chosen" and "<td><strong>chosen</strong></td>" in page
    for candidate in adapted["candidates"]:  # why each other setting was not chosen
        assert candidate["chosen"] or f"<td>{escape(candidate['verdict'])}</td>" in page
    assert "(adapted)" in client.get("/models").get_data(as_text=True)

    # A normal model: it analyses another dataset, reading the team's words.
    other_url = upload(
        client, "Later", ["the blorft arrived on day 99", "that grimbly form on day 99"]
    )
    auth.post(f"{other_url}/analyze", {"model": str(model_id)}, token_from=other_url)
    summary = client.get(f"{other_url}/summary.json").json
    counted = {item["label"]: item["count"] for item in summary["distribution"]}
    assert (counted["joy"], counted["anger"]) == (1, 1)


def test_a_large_dataset_teaches_the_gates_with_texts_spread_over_it(
    app, client, auth: AuthActions, monkeypatch
):
    monkeypatch.setattr(adaptation, "MAX_DOMAIN_TEXTS", 10)
    auth.login()
    dataset_url = upload(client)
    correct_all(app, dataset_url)

    auth.post(f"{dataset_url}/adapt", {"name": ""}, token_from=dataset_url)

    with app.app_context():
        model = db.session.scalar(select(EmotionModel))
        assert model.metrics["adaptation"]["domain_texts"] == 10


def test_adapting_needs_enough_corrections(app, client, auth: AuthActions):
    auth.login()
    dataset_url = upload(client)
    correct_all(app, dataset_url, limit=5)

    response = auth.post(f"{dataset_url}/adapt", {"name": ""}, token_from=dataset_url)

    page = client.get(response.location).get_data(as_text=True)
    assert "Adapting needs at least 20 corrected texts" in page
    assert "this dataset has 5" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 0
        assert db.session.scalar(select(func.count()).where(Job.kind == JobKind.ADAPTATION)) == 0


def test_the_api_adapts_and_the_finished_job_names_the_model(app, client, auth, api):
    auth.login()
    dataset_url = upload(client)
    dataset_id = int(dataset_url.rsplit("/", 1)[1])
    url = f"/api/v1/datasets/{dataset_id}/adapt"
    headers = {"Authorization": f"Bearer {api.token}"}

    refused = client.post(url, headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "cannot_adapt"
    bad = client.post(url, json={"name": 5}, headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_name"
    unknown = client.post(url, json={"base": "default"}, headers=headers)
    assert unknown.status_code == 400
    correct_all(app, dataset_url)

    started = client.post(url, json={"name": "From the API"}, headers=headers)

    assert started.status_code == 202
    job = started.json
    assert job["kind"] == "adaptation" and started.headers["Location"].endswith(f"/{job['id']}")
    finished = api.get(f"/api/v1/jobs/{job['id']}").json
    assert finished["status"] == "done"
    model = api.get(f"/api/v1/models/{finished['model_id']}").json
    assert (model["name"], model["kind"], model["ready"]) == ("From the API", "adapted", True)
    assert model["metrics"]["adaptation"]["rows"] == 50


def test_another_teams_dataset_cannot_be_adapted(app, client, auth: AuthActions):
    auth.login()
    dataset_url = upload(client)
    correct_all(app, dataset_url)
    intruder = AuthActions(app.test_client())
    intruder.register("mallory", "violet harbour 1987")

    response = intruder.post(f"{dataset_url}/adapt", {}, token_from="/dashboard")

    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmotionModel)) == 0
