"""Alert rules through the API: made (checked, the secret once), listed, deleted; isolated by
team and role; a dataset's alerts with their deliveries; audit events."""

import pytest
from sqlalchemy import select

from emolytics.accounts import registration, sealed, tokens
from emolytics.extensions import db
from emolytics.pipeline import alert_checks
from emolytics.tables import AlertDelivery, AlertRule, AuditEvent
from tests.conftest import PASSWORD, join_team, team_of
from tests.web.alerts_world import NOW, build, flat_hours

SPIKE = {"metric": "emotion_share", "emotion": "anger", "direction": "rise", "sensitivity": 3}


@pytest.fixture
def world(app):
    """ada's team with a ten-day feed whose latest hour is an anger spike; a token each for
    ada (owner), vic (viewer) and sam (a stranger)."""
    with app.app_context():
        team_id = team_of("ada")
        flat, spiked = flat_hours(40, 0.1), flat_hours(40, 0.4)
        hours = 10 * 24
        dataset_id = build(
            team_id, hours, lambda index: spiked(index) if index == hours - 1 else flat(index)
        )
        for name in ("vic", "sam"):
            registration.register(name, PASSWORD)
        join_team(team_id, "vic", "analyst")  # a write token, then a viewer: it follows the role
        secrets = {
            name: tokens.create_token(registration.find_user(name), "t", team_id=team).secret
            for name, team in (("ada", team_id), ("vic", team_id), ("sam", team_of("sam")))
        }
        join_team(team_id, "vic", "viewer")
    return {"dataset_id": dataset_id, "tokens": secrets, "client": app.test_client()}


def _call(world, who: str, method: str, url: str, body=None):
    headers = {"Authorization": f"Bearer {world['tokens'][who]}"}
    return world["client"].open(f"/api/v1{url}", method=method, headers=headers, json=body)


def test_a_rule_is_made_with_its_secret_once_then_listed_without(app, world):
    url = f"/datasets/{world['dataset_id']}/alert-rules"
    body = {**SPIKE, "webhook_url": "http://127.0.0.1:9/hook"}
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    made = _call(world, "ada", "POST", url, body)
    assert made.status_code == 201, made.get_json()
    rule = made.get_json()
    assert rule["metric"] == "emotion_share" and rule["sensitivity"] == 3
    assert rule["description"] == "anger share rises, 3 times the usual, per hour"
    assert len(rule["webhook_secret"]) >= 40
    with app.app_context():
        stored = db.session.get(AlertRule, rule["id"])
        assert stored.webhook_secret != rule["webhook_secret"]  # sealed
        assert sealed.unseal(stored.webhook_secret) == rule["webhook_secret"]
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "alert_rule.created" in actions
    listed = _call(world, "vic", "GET", url).get_json()["rules"]
    assert [item["id"] for item in listed] == [rule["id"]]
    assert "webhook_secret" not in listed[0]


def test_private_webhook_addresses_are_refused_by_default(world):
    url = f"/datasets/{world['dataset_id']}/alert-rules"
    refused = _call(world, "ada", "POST", url, {**SPIKE, "webhook_url": "http://127.0.0.1/hook"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "invalid_webhook_url"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"metric": "mood"}, 422, "invalid_metric"),
        ({"metric": "emotion_share"}, 422, "invalid_emotion"),
        ({"metric": "emotion_share", "emotion": "glee"}, 422, "invalid_emotion"),
        ({"metric": "volume", "emotion": "anger"}, 422, "invalid_emotion"),
        ({"metric": "volume", "keyword": "tram"}, 422, "invalid_keyword"),
        ({"metric": "volume", "direction": "up"}, 422, "invalid_direction"),
        ({"metric": "volume", "sensitivity": 1.2}, 422, "invalid_sensitivity"),
        ({"metric": "volume", "sensitivity": "loud"}, 422, "invalid_sensitivity"),
        ({"metric": "valence", "sensitivity": 3}, 422, "invalid_sensitivity"),
        ({"metric": "volume", "window_minutes": 90}, 422, "invalid_window_minutes"),
        ({"metric": "volume", "window_minutes": 30}, 422, "invalid_window_minutes"),
        ({"metric": "volume", "window_minutes": 20_000}, 422, "invalid_window_minutes"),
        ({"metric": "volume", "min_texts": 0}, 422, "invalid_min_texts"),
        ({"metric": "volume", "window_minutes": "60"}, 400, "invalid_window_minutes"),
        ({"metric": 3}, 400, "invalid_metric"),
        ({"metric": "volume", "sensitivity": True}, 400, "invalid_sensitivity"),
        ({"metric": "volume", "colour": "red"}, 400, "unknown_field"),
        ([], 400, "invalid_body"),
    ],
)
def test_bad_rules_are_refused_with_a_code(app, world, body, status, code):
    answer = _call(world, "ada", "POST", f"/datasets/{world['dataset_id']}/alert-rules", body)
    assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["error"]["code"] == code
    with app.app_context():
        assert db.session.scalar(select(AlertRule.id)) is None


def test_rules_are_the_teams_own(world):
    url = f"/datasets/{world['dataset_id']}/alert-rules"
    rule_id = _call(world, "ada", "POST", url, SPIKE).get_json()["id"]
    assert _call(world, "sam", "GET", url).status_code == 404
    assert _call(world, "sam", "POST", url, SPIKE).status_code == 404
    assert _call(world, "sam", "DELETE", f"/alert-rules/{rule_id}").status_code == 404
    assert _call(world, "sam", "GET", f"/datasets/{world['dataset_id']}/alerts").status_code == 404
    # a viewer reads but does not change
    assert _call(world, "vic", "POST", url, SPIKE).status_code == 403
    assert _call(world, "vic", "DELETE", f"/alert-rules/{rule_id}").status_code == 403
    assert _call(world, "ada", "DELETE", f"/alert-rules/{rule_id}").status_code == 204
    assert _call(world, "ada", "DELETE", f"/alert-rules/{rule_id}").status_code == 404
    assert _call(world, "ada", "GET", url).get_json() == {"rules": []}


def test_the_datasets_alerts_come_with_rule_numbers_and_deliveries(app, world):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    body = {**SPIKE, "webhook_url": "http://127.0.0.1:9/hook"}
    _call(world, "ada", "POST", f"/datasets/{world['dataset_id']}/alert-rules", body)
    with app.app_context():
        alert_checks.check(now=NOW)
    alerts = _call(world, "vic", "GET", f"/datasets/{world['dataset_id']}/alerts").get_json()
    [alert] = alerts["alerts"]
    assert alert["rule"]["emotion"] == "anger"
    assert alert["window_start"].startswith("2026-12-03T13:00:00")
    assert alert["observed"] == pytest.approx(0.4)
    assert alert["ratio"] > 3 and alert["p_value"] < 1e-6
    assert alert["direction"] == "rise"
    assert alert["deliveries"] == [
        {
            "channel": "webhook",
            "target": "http://127.0.0.1:9/hook",
            "status": "pending",
            "attempts": 0,
            "last_status": None,
            "last_error": None,
            "next_attempt_at": alert["deliveries"][0]["next_attempt_at"],
            "delivered_at": None,
        }
    ]
    # deleting the rule deletes its alerts and their deliveries
    assert _call(world, "ada", "DELETE", f"/alert-rules/{alert['rule']['id']}").status_code == 204
    assert _call(world, "ada", "GET", f"/datasets/{world['dataset_id']}/alerts").get_json() == {
        "alerts": []
    }
    with app.app_context():
        assert db.session.scalar(select(AlertDelivery.id)) is None


def test_deleting_a_rule_is_audited(app, world):
    rule_id = _call(
        world, "ada", "POST", f"/datasets/{world['dataset_id']}/alert-rules", SPIKE
    ).get_json()["id"]
    _call(world, "ada", "DELETE", f"/alert-rules/{rule_id}")
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "alert_rule.deleted")
        )
        assert f"rule {rule_id}" in event.target
