"""The team's home at a glance: each dataset's emotion mix, mean valence, latest text and recent
alerts, as its own dashboard counts them; a correction shows at once; another team's datasets
are not there."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from emolytics.engine.labels import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.tables import Dataset, Result
from tests.conftest import team_of
from tests.notifications.alert_rows import make_alert
from tests.web.api_calls import upload as api_upload
from tests.web.correction_steps import _correct_on_page, _distribution, _text
from tests.web.uploads import REVIEWS, upload

GERMAN = '"Die Straßenbahn ist wieder zu spät und ich bin wütend",2026-03-06T10:00:00Z,gil,,\n'


def _row(page: str, dataset_id: int) -> str:
    found = re.search(rf'<tr data-dataset-id="{dataset_id}">(.*?)</tr>', page, re.S)
    assert found, f"no row for dataset {dataset_id}"
    return found[1]


def _cell(row: str, role: str) -> str:
    found = re.search(rf'<td data-role="{role}">(.*?)</td>', row, re.S)
    assert found, f"no {role} cell"
    return found[1]


def _shares(row: str) -> dict[str, int]:
    """The mix bar's shares, in percent, as its accessible name gives them."""
    name = re.search(r'<svg class="mix-bar"[^>]*aria-label="([^"]*)"', row)[1]
    return {label: int(share) for label, share in re.findall(r"(\w+) (\d+) %", name)}


def _percent(counted: dict[str, int]) -> dict[str, int]:
    total = sum(counted.values())
    return {label: round(100 * n / total) for label, n in counted.items() if n}


def _uploaded(auth, content: str) -> int:
    response = upload(auth, content)
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def test_each_dataset_shows_its_mix_valence_and_latest_text_as_its_dashboard_counts(
    app, auth, client
):
    auth.login()
    dataset_id = _uploaded(auth, REVIEWS + GERMAN)  # the German text: not scored, left out
    counted = _distribution(client, dataset_id)
    assert sum(counted.values()) == 6
    row = _row(client.get("/dashboard").get_data(as_text=True), dataset_id)
    assert _shares(row) == _percent(counted)
    leading = sorted(counted.items(), key=lambda item: -item[1])[0]
    assert f"{leading[0]} {round(100 * leading[1] / 6)}&nbsp;%" in _cell(row, "mix")
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        valences = db.session.scalars(
            select(Result.valence).where(Result.job_id == job_id, Result.label != "")
        ).all()
    assert len(valences) == 6
    assert _cell(row, "valence") == f"{sum(valences) / 6:+.2f}"
    assert "2026-03-05 10:00 UTC" in row  # the latest time a text bears
    assert "tracking tram, app, tickets" in row


def test_a_correction_moves_the_mix_at_once(app, auth, client):
    auth.login()
    dataset_id = _uploaded(auth, REVIEWS)
    before = _distribution(client, dataset_id)
    assert _shares(_row(client.get("/dashboard").get_data(as_text=True), dataset_id)) == _percent(
        before
    )
    text_id, label = _text(app, dataset_id, "I am scared to ride the tram at night")
    other = "disgust" if label != "disgust" else "joy"
    assert _correct_on_page(auth, dataset_id, text_id, other).status_code == 302
    after = _distribution(client, dataset_id)
    assert after[other] == before.get(other, 0) + 1 and after[label] == before[label] - 1
    shown = _shares(_row(client.get("/dashboard").get_data(as_text=True), dataset_id))
    assert shown == _percent(after) != _percent(before)  # within the cache's seconds


def test_recent_alerts_are_counted_and_lead_to_the_datasets_alerts(app, auth, client):
    auth.login()
    dataset_id = _uploaded(auth, REVIEWS)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with app.app_context():
        for hours_ago in (3, 30, 24 * 10):  # the last one raised ten days ago: not counted
            make_alert(dataset_id=dataset_id, window_start=now - timedelta(hours=hours_ago))
    row = _row(client.get("/dashboard").get_data(as_text=True), dataset_id)
    assert _cell(row, "alerts") == f'<a href="/alerts/datasets/{dataset_id}">2</a>'


def test_a_dataset_not_analysed_yet_shows_no_mix_and_another_teams_are_not_there(app, auth, client):
    auth.login()
    mine = _uploaded(auth, REVIEWS)
    auth.logout()
    auth.register("mallory")
    theirs = _uploaded(auth, REVIEWS)
    with app.app_context():
        feed = datasets.create_feed(team_of("mallory"), "Quiet feed").id  # no text yet
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'data-dataset-id="{mine}"' not in page
    assert _shares(_row(page, theirs))
    quiet = _row(page, feed)
    for role in ("mix", "valence"):
        assert _cell(quiet, role) == '<span class="meta">–</span>'
    assert _cell(quiet, "alerts") == '<span class="meta">0</span>'


def test_the_apis_list_gives_each_dataset_at_a_glance_as_the_home_does(app, api):
    dataset_id = api_upload(api, time_column="created_at").json["id"]
    with app.app_context():
        feed = datasets.create_feed(team_of("ada"), "Quiet feed").id
        make_alert(dataset_id=dataset_id, window_start=datetime.now(UTC) - timedelta(hours=2))
    listed = {item["id"]: item for item in api.get("/api/v1/datasets").json["datasets"]}
    summary = api.get(f"/api/v1/datasets/{dataset_id}/summary").json
    counted = {row["label"]: row["count"] for row in summary["distribution"] if row["count"]}
    mix = listed[dataset_id]["mix"]
    assert mix["shares"] == pytest.approx({label: n / 3 for label, n in counted.items()})
    assert list(mix["shares"]) == [label for label in EMOTIONS if label in counted]
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        valences = db.session.scalars(select(Result.valence).where(Result.job_id == job_id)).all()
    assert mix["valence"] == pytest.approx(sum(valences) / 3)
    assert mix["latest_text_at"] == "2026-03-03T10:00:00+00:00"
    assert listed[dataset_id]["recent_alerts"] == 1
    assert listed[feed]["mix"] is None and listed[feed]["recent_alerts"] == 0
