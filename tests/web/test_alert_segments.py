"""Alert rules on one segment: an anger spike in the store's texts alerts a rule on the store
and no rule on the web shop, nor on every text where the web shop's calm drowns it; rules made
on the page and through the API name only a segment the dataset's texts have (a live feed's,
any segment its texts will carry); the alert links
to the dashboard narrowed to the segment, and its message names it."""

import re

import pytest
from sqlalchemy import select

from emolytics.accounts import tokens
from emolytics.accounts.registration import find_user
from emolytics.extensions import db
from emolytics.notifications import messages
from emolytics.pipeline import alert_checks, alert_rules
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.tables import Alert, AlertRule, Dataset
from tests.conftest import csrf_token, team_of
from tests.web.alerts_world import HOUR, LATEST, NOW, add_hours, build, flat_hours
from tests.web.api_calls import call, new_feed, push

HOURS = 10 * 24
SPIKE = {"metric": "emotion_share", "emotion": "anger", "direction": "rise", "sensitivity": 3}


@pytest.fixture
def dataset_id(app) -> int:
    """Ten days of a web shop's texts (200 an hour, 10 % angry) and a store's (20 an hour,
    10 % angry but 60 % in the latest hour)."""
    with app.app_context():
        web_shop = flat_hours(200, 0.1)
        found = build(team_of("ada"), HOURS, lambda index: {})
        dataset = db.session.get(Dataset, found)
        job_id = dataset.current_job_id
        start = LATEST - HOURS * HOUR
        add_hours(dataset, job_id, start, [web_shop(index) for index in range(HOURS)], "Web shop")
        calm, angry = flat_hours(20, 0.1), flat_hours(20, 0.6)
        store = [calm(index) for index in range(HOURS - 1)] + [angry(0)]
        add_hours(dataset, job_id, start, store, "Store")
        return found


def _rule(dataset_id: int, **asked: object) -> AlertRule:
    dataset = db.session.get(Dataset, dataset_id)
    return alert_rules.create(dataset.team_id, dataset, RuleInput(**SPIKE, **asked), None).rule


def test_a_spike_in_one_segment_alerts_the_rule_on_it_alone(app, dataset_id):
    with app.app_context():
        store = _rule(dataset_id, segment="Store")
        web_shop = _rule(dataset_id, segment="Web shop")
        every = _rule(dataset_id)
        judged = {item.rule_id: item for item in alert_checks.check(now=NOW)}
        assert judged[store.id].verdict.texts == 20 and judged[store.id].alert_id is not None
        assert judged[web_shop.id].verdict.texts == 200 and judged[web_shop.id].alert_id is None
        assert judged[every.id].verdict.texts == 220 and judged[every.id].alert_id is None
        alert = db.session.get(Alert, judged[store.id].alert_id)
        assert alert.observed == pytest.approx(0.6)
        assert alert.expected == pytest.approx(0.1, rel=0.01)
        assert alert_rules.describe(store) == (
            "anger share rises, 3 times the usual, per hour (segment Store)"
        )
        told = messages.tell(alert, store, "Listening feed")
        watched = "the share of anger (texts in segment Store)"
        assert told.subject == f"Alert on Listening feed: {watched} rose"
        assert told.details["segment"] == "Store"
        assert "segment=Store" in told.details["url"]


def test_a_rule_on_a_keyword_and_a_segment_names_both(app, dataset_id):
    with app.app_context():
        db.session.get(Dataset, dataset_id).keywords = ["tram"]
        db.session.commit()
        rule = _rule(dataset_id, keyword="tram", segment="Store")
        assert alert_rules.describe(rule).endswith("per hour (keyword tram, segment Store)")
        assert (
            messages.watched(rule) == "the share of anger (texts mentioning tram in segment Store)"
        )
        [judged] = alert_checks.check(now=NOW)
        assert judged.verdict.texts == 0  # no text of the store mentions it


def test_the_page_offers_the_segments_and_links_an_alert_to_its_segment(
    app, client, auth, dataset_id
):
    auth.login()
    url = f"/alerts/datasets/{dataset_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Only the segment" in page  # a live feed's: those it brought are suggested
    assert '<option value="Web shop">Web shop (48,000 texts)</option>' in page
    assert '<option value="Store">Store (4,800 texts)</option>' in page
    form = {
        **{name: str(value) for name, value in SPIKE.items()},
        "keyword": "",
        "feed_segment": "Store",
        "window_hours": "1",
        "min_texts": "10",
        "cooldown_hours": "6",
        "webhook_url": "",
        "csrf_token": csrf_token(client, url),
    }
    made = client.post(f"{url}/rules", data=form)
    assert made.status_code == 302
    shown = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "per hour (segment Store)" in shown
    with app.app_context():
        alert_checks.check(now=NOW)
    shown = client.get(url).get_data(as_text=True)
    assert "anger), segment Store: rose" in shown.replace("\n", " ")
    [link] = re.findall(r'<td><a href="(/datasets/[^"]+)">2026-12-03 13:00', shown)
    assert link == (
        f"/datasets/{dataset_id}?start=2026-12-03T13:00&amp;end=2026-12-03T13:00&amp;segment=Store"
    )
    narrowed = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert '<option value="Store" selected>Store (4,800 texts)</option>' in narrowed
    refused = client.post(  # a slip of case: a feed takes a segment to come, but not this
        f"{url}/rules",
        data={**form, "feed_segment": "store", "csrf_token": csrf_token(client, url)},
    )
    assert refused.status_code == 400
    assert "&#39;store&#39; is not a segment of this dataset" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(AlertRule)) == 1


def test_a_dataset_without_segments_offers_none(app, client, auth):
    auth.login()
    with app.app_context():
        found = build(team_of("ada"), 48, flat_hours(40, 0.1), source="upload")
    page = client.get(f"/alerts/datasets/{found}").get_data(as_text=True)
    assert "Only the segment" not in page
    with app.app_context():
        dataset = db.session.get(Dataset, found)
        with pytest.raises(alert_rules.rule_inputs.RuleRefused, match=r"\(none\)"):
            alert_rules.create(dataset.team_id, dataset, RuleInput("volume", segment="Web"), None)


@pytest.mark.parametrize(
    ("segment", "status", "code"),
    [
        ("Kiosk", 422, "invalid_segment"),
        ("store", 422, "invalid_segment"),  # as written in the file
        (7, 400, "invalid_segment"),
        (["Store"], 400, "invalid_segment"),
    ],
)
def test_the_api_refuses_a_segment_the_texts_do_not_have(app, dataset_id, segment, status, code):
    with app.app_context():
        db.session.get(Dataset, dataset_id).source = "upload"  # a live feed's may be to come
        db.session.commit()
        secret = tokens.create_token(find_user("ada"), "t", team_id=team_of("ada")).secret
    answer = app.test_client().post(
        f"/api/v1/datasets/{dataset_id}/alert-rules",
        json={**SPIKE, "segment": segment},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["error"]["code"] == code
    with app.app_context():
        assert db.session.scalar(select(AlertRule.id)) is None


def test_the_api_makes_and_lists_a_segment_rule(app, dataset_id):
    with app.app_context():
        secret = tokens.create_token(find_user("ada"), "t", team_id=team_of("ada")).secret
    client, headers = app.test_client(), {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/datasets/{dataset_id}/alert-rules"
    made = client.post(url, json={**SPIKE, "segment": "Store"}, headers=headers)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["segment"] == "Store"
    assert made.get_json()["description"].endswith("(segment Store)")
    [listed] = client.get(url, headers=headers).get_json()["rules"]
    assert listed["segment"] == "Store"


def test_a_live_feed_takes_a_rule_on_a_segment_it_has_not_brought_yet(app, api, client, auth):
    """A feed's stores send their first texts after the rule is made: any segment is taken, as
    the feed's texts would carry it; the page suggests the segments seen so far."""
    feed = new_feed(api)
    rules_url = f"/api/v1/datasets/{feed['id']}/alert-rules"
    made = call(api, "POST", rules_url, json={**SPIKE, "segment": "  Berlin Mitte "})
    assert made.status_code == 201, made.json
    assert made.json["segment"] == "Berlin Mitte"  # trimmed, as a pushed text's is
    blank = call(api, "POST", rules_url, json={**SPIKE, "segment": "   "})
    assert (blank.status_code, blank.json["error"]["code"]) == (422, "invalid_segment")

    assert push(api, feed["id"], [{"text": "Scary crowds", "segment": "Kiosk"}]).status_code == 201
    auth.login()
    url = f"/alerts/datasets/{feed['id']}"
    page = client.get(url).get_data(as_text=True)
    assert "Only the segment (as the feed&#39;s texts name it)" in page
    assert 'list="segment-names"' in page and '<option value="Kiosk">' in page
    form = {
        **{name: str(value) for name, value in SPIKE.items()},
        "keyword": "",
        "feed_segment": "Hamburg",
        "window_hours": "1",
        "min_texts": "10",
        "cooldown_hours": "6",
        "webhook_url": "",
        "csrf_token": csrf_token(client, url),
    }
    assert client.post(f"{url}/rules", data=form).status_code == 302
    with app.app_context():
        rules = db.session.scalars(select(AlertRule.segment).order_by(AlertRule.id)).all()
    assert rules == ["Berlin Mitte", "Hamburg"]
