"""Judging alert rules from counts: spikes found, flat feeds quiet, each window once, cool-down."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import alert_checks, alert_rules
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.scheduler import get_scheduler
from emolytics.tables import (
    Alert,
    AlertDelivery,
    AlertRule,
    Dataset,
    Membership,
    PeriodicRun,
    User,
    utcnow,
)
from tests.conftest import team_of
from tests.web.alerts_world import HOUR, NOW, build, flat_hours, random_hours


def utcnow_hour():
    return utcnow().replace(minute=0, second=0, microsecond=0)


def _rule(dataset_id: int, **asked: object) -> AlertRule:
    dataset = db.session.get(Dataset, dataset_id)
    return alert_rules.create(dataset.team_id, dataset, RuleInput(**asked), None).rule


def _spiked(team_id: int, spike_hours: tuple[int, ...], hours: int = 10 * 24) -> int:
    """Ten days of 40 texts an hour, 10 % angry, with anger at 40 % in `spike_hours` (counted
    back from the latest complete hour: 1 is that hour)."""
    flat = flat_hours(40, 0.1)
    spiked = flat_hours(40, 0.4)
    return build(
        team_id, hours, lambda index: spiked(index) if hours - index in spike_hours else flat(index)
    )


def test_a_planted_anger_spike_raises_one_alert_with_its_numbers(app):
    with app.app_context():
        dataset_id = _spiked(team_of("ada"), spike_hours=(1,))
        rule = _rule(
            dataset_id, metric="emotion_share", emotion="anger", direction="rise", sensitivity=3
        )
        judged = alert_checks.check(now=NOW)
        assert len(judged) == 1 and judged[0].alert_id is not None
        alert = db.session.get(Alert, judged[0].alert_id)
        assert alert.window_start == NOW.replace(minute=0) - HOUR
        assert alert.window_end == NOW.replace(minute=0)
        assert alert.observed == pytest.approx(0.4)
        assert alert.expected == pytest.approx(0.1, rel=0.1)
        assert alert.ratio == pytest.approx(4, rel=0.1)
        assert alert.p_value < 1e-6
        assert alert.direction == "rise"
        assert rule.checked_through == NOW.replace(minute=0)
        # judged again within the hour: nothing new
        assert alert_checks.check(now=NOW + timedelta(minutes=20)) == []
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


@pytest.mark.parametrize("seed", [1, 2])
def test_a_quiet_feed_raises_nothing_over_a_day(app, seed):
    with app.app_context():
        dataset_id = build(team_of("ada"), 10 * 24, random_hours(seed, 40, 0.1))
        for metric in ("volume", "emotion_share", "emotion_count", "valence"):
            emotion = "anger" if metric.startswith("emotion") else None
            _rule(dataset_id, metric=metric, emotion=emotion, direction="either")
        rules = db.session.scalars(select(AlertRule)).all()
        for rule in rules:  # as if judged a day ago: the day's 24 windows are due
            rule.checked_through = NOW.replace(minute=0) - 24 * HOUR
        db.session.commit()
        judged = alert_checks.check(now=NOW)
        assert len(judged) == 4 * 24
        assert [item for item in judged if item.verdict.alert] == []
        assert all(item.verdict.reason is None for item in judged)


def test_a_drop_in_volume_of_a_live_feed_is_judged_by_the_clock(app):
    with app.app_context():
        # the feed stopped three hours ago: its last hours are empty, and the clock sees them
        dataset_id = build(
            team_of("ada"), 10 * 24, flat_hours(40, 0.1), end=NOW.replace(minute=0) - 3 * HOUR
        )
        _rule(dataset_id, metric="volume", direction="drop")
        judged = alert_checks.check(now=NOW)
        assert judged[0].verdict.window.end == NOW.replace(minute=0)
        assert judged[0].alert_id is not None and judged[0].verdict.observed == 0


def test_an_upload_is_judged_up_to_its_newest_text(app):
    with app.app_context():
        newest_end = NOW.replace(minute=0) - 30 * 24 * HOUR  # a dataset of last month
        dataset_id = build(
            team_of("ada"), 10 * 24, flat_hours(40, 0.1), end=newest_end, source="upload"
        )
        rule = _rule(dataset_id, metric="volume", direction="either")
        judged = alert_checks.check(now=NOW)
        assert [item.verdict.window.end for item in judged] == [newest_end]
        assert not judged[0].verdict.alert  # its texts stop: no drop to zero
        assert rule.checked_through == newest_end


def test_the_cool_down_keeps_one_event_to_one_alert(app):
    with app.app_context():
        dataset_id = _spiked(team_of("ada"), spike_hours=(1, 2, 3))
        rule = _rule(
            dataset_id,
            metric="emotion_share",
            emotion="anger",
            direction="rise",
            cooldown_minutes=360,
        )
        rule.checked_through = NOW.replace(minute=0) - 4 * HOUR
        db.session.commit()
        judged = alert_checks.check(now=NOW)
        assert [item.verdict.alert for item in judged] == [False, True, True, True]
        assert [item.alert_id is not None for item in judged] == [False, True, False, False]
        assert [item.cooling_down for item in judged] == [False, False, True, True]


def test_without_a_cool_down_each_unusual_window_alerts(app):
    with app.app_context():
        dataset_id = _spiked(team_of("ada"), spike_hours=(1, 2))
        rule = _rule(
            dataset_id,
            metric="emotion_share",
            emotion="anger",
            direction="rise",
            cooldown_minutes=0,
        )
        rule.checked_through = NOW.replace(minute=0) - 2 * HOUR
        db.session.commit()
        assert len([item for item in alert_checks.check(now=NOW) if item.alert_id]) == 2


def test_a_window_judged_twice_stores_one_alert(app):
    with app.app_context():
        dataset_id = _spiked(team_of("ada"), spike_hours=(1,))
        rule = _rule(dataset_id, metric="emotion_share", emotion="anger", direction="rise")
        first = alert_checks.check(now=NOW)
        rule.checked_through = None  # another process that had not seen the first's judgement
        db.session.commit()
        second = alert_checks.check(now=NOW)
        assert first[0].alert_id is not None and second[0].alert_id is None
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


def test_deliveries_are_created_pending_with_the_alert(app):
    with app.app_context():
        team_id = team_of("ada")
        dataset_id = _spiked(team_id, spike_hours=(1,))
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        ada.email, ada.email_confirmed_at = "ada@example.org", NOW
        db.session.get(Membership, (team_id, ada.id)).alert_email = True
        db.session.commit()
        app.config["WEBHOOK_ALLOW_PRIVATE"] = True
        _rule(
            dataset_id,
            metric="emotion_share",
            emotion="anger",
            webhook_url="http://127.0.0.1:9/hook",
        )
        alert_id = alert_checks.check(now=NOW)[0].alert_id
        deliveries = db.session.scalars(
            select(AlertDelivery).where(AlertDelivery.alert_id == alert_id)
        ).all()
        assert sorted((item.channel, item.target, item.status) for item in deliveries) == [
            ("email", "ada@example.org", "pending"),
            ("webhook", "http://127.0.0.1:9/hook", "pending"),
        ]


def test_an_unconfirmed_address_gets_no_email(app):
    with app.app_context():
        team_id = team_of("ada")
        dataset_id = _spiked(team_id, spike_hours=(1,))
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        ada.email = "ada@example.org"
        db.session.get(Membership, (team_id, ada.id)).alert_email = True
        db.session.commit()
        _rule(dataset_id, metric="emotion_share", emotion="anger")
        alert_checks.check(now=NOW)
        assert db.session.scalar(select(func.count()).select_from(AlertDelivery)) == 0


def test_a_keyword_rule_reads_only_the_texts_mentioning_it(app):
    with app.app_context():
        dataset_id = _spiked(team_of("ada"), spike_hours=(1,))
        dataset = db.session.get(Dataset, dataset_id)
        dataset.keywords = ["tram"]
        db.session.commit()
        _rule(dataset_id, metric="emotion_share", emotion="anger", keyword="tram")
        judged = alert_checks.check(now=NOW)
        assert judged[0].verdict.texts == 0  # no text mentions it
        assert not judged[0].verdict.alert


def test_after_a_downtime_at_most_a_day_is_caught_up(app):
    with app.app_context():
        dataset_id = build(team_of("ada"), 10 * 24, flat_hours(40, 0.1))
        rule = _rule(dataset_id, metric="volume")
        rule.checked_through = NOW.replace(minute=0) - 5 * 24 * HOUR
        db.session.commit()
        judged = alert_checks.check(now=NOW)
        assert len(judged) == 24
        assert judged[0].verdict.window.end == NOW.replace(minute=0) - 23 * HOUR


def test_the_schedule_judges_every_rule_each_minute(app):
    with app.app_context():
        dataset_id = build(team_of("ada"), 10 * 24, flat_hours(40, 0.1), end=utcnow_hour())
        _rule(dataset_id, metric="volume")
        tasks = get_scheduler()
        assert tasks.tasks["alerts.check"].period == timedelta(minutes=1)
        assert "alerts.check" in tasks.run_due()
        outcome = db.session.scalar(
            select(PeriodicRun.outcome).where(PeriodicRun.task == "alerts.check")
        )
        assert outcome == "ok: 1 windows judged, 0 alerts"
        assert "alerts.check" not in tasks.run_due()  # once a minute
