"""A dataset's retention: asked first on its page (or set through the API), the texts past it
go at once with their results and corrections, the counts left exactly as counting afresh
finds them; the hourly task takes out those that pass it later; texts without a time stay;
refused (nothing changed) while the dataset is being analysed."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import jobs, retention
from emolytics.tables import Correction, Dataset, DatasetFile, Job, TextRow
from tests.conftest import csrf_token
from tests.web.api_calls import call, error_code, upload
from tests.web.audit_rows import events
from tests.web.correction_steps import _correct_on_page, _distribution, _text
from tests.web.test_dataset_files import recounted, stored_counts
from tests.web.uploads import upload as upload_on_page

NOW = datetime.now(UTC).replace(microsecond=0)
AGES = (10, 40, 100)  # days: six texts of each age, and two without a time


def texts_of_three_ages() -> str:
    rows = ["text,created_at"]
    for age in AGES:
        for n in range(6):
            moment = NOW - timedelta(days=age, hours=n)
            rows.append(f"I love the tram ({age} days) {n},{moment.isoformat()}")
    rows += ["Undated but furious,", "Undated and calm,"]
    return "\n".join(rows) + "\n"


def kept_texts(app, dataset_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(TextRow.text).where(TextRow.dataset_id == dataset_id).order_by(TextRow.id)
            )
        )


@pytest.fixture
def dataset_id(auth) -> int:
    auth.login()
    response = upload_on_page(auth, texts_of_three_ages(), "ages.csv", name="Ages")
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def test_a_retention_asked_first_takes_out_the_texts_past_it(app, auth, dataset_id):
    text_id, _ = _text(app, dataset_id, "I love the tram (40 days) 0")
    assert _correct_on_page(auth, dataset_id, text_id, "anger").status_code == 302
    page = f"/datasets/{dataset_id}/retention?keep_days=30"
    asked = auth.client.get(page)
    assert asked.status_code == 200
    question = asked.get_data(as_text=True)
    assert "Keep the texts of “Ages” for 30 days?" in question
    assert "Its 12 texts dated before " in question and "are deleted now" in question
    assert "Texts without a time are kept. This cannot be undone." in question
    assert len(kept_texts(app, dataset_id)) == 20  # asking changed nothing

    done = auth.client.post(page, data={"csrf_token": csrf_token(auth.client, page)})
    assert done.status_code == 302
    shown = auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert "Texts are kept for 30 days after their time. 12 texts older than that deleted." in (
        shown
    )
    assert "texts kept 30 days" in shown
    kept = kept_texts(app, dataset_id)
    assert len(kept) == 8 and all("(10 days)" in text or "Undated" in text for text in kept)
    assert stored_counts(app, dataset_id) == recounted(app, dataset_id)
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).row_count == 8
        assert db.session.scalar(select(func.count()).select_from(Correction)) == 0
        assert db.session.scalar(select(DatasetFile.texts)) == 8
    assert sum(_distribution(auth.client, dataset_id).values()) == 8
    [changed] = events(app, "dataset.retention_changed")
    assert changed["target"].endswith(": texts kept for 30 days")


def test_the_hourly_task_takes_out_texts_as_they_pass(app, auth, dataset_id):
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        assert retention.keep(dataset, 60, NOW).texts == 6  # the 100 days old
        assert retention.expire_due(NOW) == "0 texts of 0 datasets expired, 0 waiting"
        summary = retention.expire_due(NOW + timedelta(days=25))  # the 40 days old pass 60
        assert summary == "6 texts of 1 dataset expired, 0 waiting"
    assert len(kept_texts(app, dataset_id)) == 8
    assert stored_counts(app, dataset_id) == recounted(app, dataset_id)
    [expired] = events(app, "dataset.texts_expired")
    assert expired["actor_name"] == "retention" and expired["target"].startswith(
        "6 texts older than"
    )


def test_keeping_texts_for_ever_takes_nothing_out(app, auth, dataset_id):
    page = f"/datasets/{dataset_id}/retention?keep_days="
    assert "Keep the texts of “Ages” for ever?" in auth.client.get(page).get_data(as_text=True)
    auth.client.post(page, data={"csrf_token": csrf_token(auth.client, page)})
    assert len(kept_texts(app, dataset_id)) == 20
    with app.app_context():
        assert retention.expire_due(NOW + timedelta(days=1000)).startswith("0 texts")


@pytest.mark.parametrize("days", ["0", "36501", "ninety", "-5", "1.5"])
def test_a_number_of_days_that_cannot_be_kept_is_refused(app, auth, dataset_id, days):
    page = f"/datasets/{dataset_id}/retention?keep_days={days}"
    refused = auth.client.get(page)
    assert refused.status_code == 400
    assert "Keep texts for 1 to 36,500 days, or leave it empty." in refused.get_data(as_text=True)
    assert len(kept_texts(app, dataset_id)) == 20


def test_nothing_changes_while_the_dataset_is_analysed(app, auth, dataset_id):
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        job_id = jobs.stage_analysis(dataset).id  # staged, never run: under way
        db.session.commit()
    page = f"/datasets/{dataset_id}/retention?keep_days=30"
    auth.client.post(page, data={"csrf_token": csrf_token(auth.client, page)})
    shown = auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert "An analysis of this dataset is under way: change the retention when it has" in shown
    assert len(kept_texts(app, dataset_id)) == 20
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).keep_days is None
        db.session.get(Dataset, dataset_id).keep_days = 30
        db.session.commit()
        assert retention.expire_due(NOW) == "0 texts of 0 datasets expired, 1 waiting"
        jobs.cancel(db.session.get(Job, job_id))
        assert retention.expire_due(NOW) == "12 texts of 1 dataset expired, 0 waiting"


def test_the_api_sets_the_retention(app, api):
    made = upload(api, texts_of_three_ages().encode()).json
    assert made["keep_days"] is None
    url = f"/api/v1/datasets/{made['id']}/retention"
    kept = call(api, "PUT", url, json={"keep_days": 50})
    assert kept.status_code == 200, kept.json
    assert (kept.json["expired"], kept.json["corrections"]) == (6, 0)
    assert kept.json["dataset"]["keep_days"] == 50 and kept.json["dataset"]["row_count"] == 14
    for bad in (0, 36_501, "50", 2.5, True):
        refused = call(api, "PUT", url, json={"keep_days": bad})
        assert refused.status_code == 400 and error_code(refused) == "invalid_parameter"
    assert call(api, "PUT", url, json={}).status_code == 400
    forever = call(api, "PUT", url, json={"keep_days": None})
    assert forever.status_code == 200 and forever.json["dataset"]["keep_days"] is None
    assert call(api, "GET", f"/api/v1/datasets/{made['id']}").json["row_count"] == 14
