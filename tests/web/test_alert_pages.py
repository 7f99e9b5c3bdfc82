"""The alerts pages (a dataset's rules and alerts, the team's alerts), the unseen count in the
navigation, the dashboard filtered to an alert's window, `emolytics alerts check`, and rules
judged when the live feed brings texts."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from emolytics.accounts import tokens
from emolytics.accounts.registration import find_user
from emolytics.extensions import db
from emolytics.pipeline import alert_checks, alert_rules, datasets
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.tables import AlertRule, AuditEvent, Dataset, utcnow
from tests.conftest import csrf_token, team_of
from tests.web.alerts_world import NOW, build, flat_hours
from tests.web.api_calls import call


def _spiked_feed(end=None) -> int:
    flat, spiked = flat_hours(40, 0.1), flat_hours(40, 0.4)
    hours = 10 * 24
    mix = lambda index: spiked(index) if index == hours - 1 else flat(index)  # noqa: E731
    if end is None:
        return build(team_of("ada"), hours, mix)
    return build(team_of("ada"), hours, mix, end=end)


def _make_rule(client, dataset_id: int, **fields: str):
    url = f"/alerts/datasets/{dataset_id}"
    form = {
        "metric": "emotion_share",
        "emotion": "anger",
        "keyword": "",
        "direction": "rise",
        "sensitivity": "3",
        "window_hours": "1",
        "min_texts": "10",
        "cooldown_hours": "6",
        "webhook_url": "",
        **fields,
        "csrf_token": csrf_token(client, url),
    }
    return client.post(f"{url}/rules", data=form)


def test_an_analyst_makes_and_deletes_a_rule_on_the_page(app, client, auth):
    auth.login()
    with app.app_context():
        dataset_id = _spiked_feed()
    page = client.get(f"/alerts/datasets/{dataset_id}")
    assert page.status_code == 200 and "No rules yet" in page.get_data(as_text=True)
    made = _make_rule(client, dataset_id)
    assert made.status_code == 302
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "anger share rises, 3 times the usual, per hour" in page
    with app.app_context():
        rule_id = db.session.scalar(select(AlertRule.id))
    asked = client.get(f"/alerts/rules/{rule_id}/delete")
    assert asked.status_code == 200 and "Delete the alert rule" in asked.get_data(as_text=True)
    token = csrf_token(client, f"/alerts/rules/{rule_id}/delete")
    deleted = client.post(f"/alerts/rules/{rule_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AlertRule.id)) is None


def test_the_team_alerts_page_lists_every_rule_and_the_datasets_nothing_watches(app, client, auth):
    auth.login()
    assert "Upload a dataset first" in client.get("/alerts").get_data(as_text=True)
    with app.app_context():
        watched = _spiked_feed()
        quiet = build(team_of("ada"), 2, flat_hours(5, 0.1))
        db.session.get(Dataset, quiet).name = "Quiet feed"
        db.session.commit()
    page = client.get("/alerts").get_data(as_text=True)
    assert "No rules yet: nothing is watched." in page
    assert f'href="/alerts/datasets/{watched}">Listening feed</a>' in page
    assert f'href="/alerts/datasets/{quiet}">Quiet feed</a>' in page
    _make_rule(client, watched)
    _make_rule(
        client, watched, metric="volume", emotion="", direction="drop", sensitivity="unusual"
    )
    page = client.get("/alerts").get_data(as_text=True)
    rows = re.findall(r'<tr data-role="rule">(.*?)</tr>', page)
    assert len(rows) == 2
    assert all(f'href="/alerts/datasets/{watched}">Listening feed</a>' in row for row in rows)
    assert "anger share rises, 3 times the usual, per hour" in rows[0]
    assert "volume drops, unusual, per hour" in rows[1] and "not yet" in rows[1]
    unwatched = re.search(r'<p data-role="unwatched">(.*?)</p>', page, re.S).group(1)
    assert "a dataset nothing watches yet" in unwatched
    assert "Quiet feed" in unwatched and "Listening feed" not in unwatched
    assert "(created" not in page  # every name is the team's only one of it

    with app.app_context():  # two datasets of one name: the page tells them apart
        db.session.get(Dataset, quiet).name = "Listening feed"
        db.session.commit()
        created = {row.id: row.created_at for row in datasets.overview(team_of("ada"))}
    page = client.get("/alerts").get_data(as_text=True)
    rows = re.findall(r'<tr data-role="rule">(.*?)</tr>', page)
    watched_when = f"(created {created[watched]:%Y-%m-%d %H:%M} UTC)"
    assert all(watched_when in row for row in rows)
    unwatched = re.search(r'<p data-role="unwatched">(.*?)</p>', page, re.S).group(1)
    assert f"Listening feed</a> (created {created[quiet]:%Y-%m-%d %H:%M} UTC)" in unwatched
    with app.app_context():
        alert_checks.check(now=NOW)
    page = client.get("/alerts").get_data(as_text=True)
    raised = re.findall(r'<tr data-role="alert">(.*?)</tr>', page, re.S)
    assert len(raised) == 1 and f'Listening feed</a> <span class="hint">{watched_when}' in raised[0]
    auth.logout()
    auth.register("bea")
    other = client.get("/alerts").get_data(as_text=True)  # bea's own team
    assert "Alerts of bea" in other
    assert 'data-role="rule"' not in other and "Listening feed" not in other


def test_a_bad_rule_on_the_page_is_explained_and_not_made(app, client, auth):
    auth.login()
    with app.app_context():
        dataset_id = _spiked_feed()
    refused = _make_rule(client, dataset_id, emotion="")
    assert refused.status_code == 400
    assert "Name the emotion to watch" in refused.get_data(as_text=True)
    refused = _make_rule(client, dataset_id, metric="valence", emotion="", sensitivity="3")
    assert refused.status_code == 400 and "valence is signed" in refused.get_data(as_text=True)
    refused = _make_rule(client, dataset_id, webhook_url="http://10.0.0.1/hook")
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(AlertRule.id)) is None


def test_alerts_show_with_a_count_in_the_navigation_until_seen(app, client, auth):
    auth.login()
    with app.app_context():
        dataset_id = _spiked_feed()
    _make_rule(client, dataset_id)
    assert 'data-role="unseen-alerts"' not in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        alert_checks.check(now=NOW)
    badge = re.search(r'data-role="unseen-alerts"[^>]*>(\d+)<', client.get("/dashboard").text)
    assert badge and badge.group(1) == "1"
    dataset_page = client.get(f"/alerts/datasets/{dataset_id}").get_data(as_text=True)
    assert dataset_page.count('data-role="alert"') == 1
    assert "40.0 %" in dataset_page and "extremely unusual" in dataset_page
    team_page = client.get("/alerts").get_data(as_text=True)
    link = f"/datasets/{dataset_id}?start=2026-12-03T13:00&amp;end=2026-12-03T13:00"
    assert link in team_page and "Listening feed" in team_page
    assert 'data-role="unseen-alerts"' not in client.get("/dashboard").get_data(as_text=True)
    texts = re.search(r'<a href="([^"]*)" data-role="alert-texts">its texts</a>', dataset_page)
    assert texts[1] == (
        f"/datasets/{dataset_id}/texts?label=anger&amp;start=2026-12-03T13:00"
        "&amp;end=2026-12-03T13:00"
    )
    shown = client.get(texts[1].replace("&amp;", "&")).get_data(as_text=True)
    assert "16 texts match" in shown  # 40 % of the hour's 40: the angry texts of the spike


def test_a_valence_alert_leads_to_the_texts_that_moved_it_first(app, client, auth):
    auth.login()
    flat, angry = flat_hours(40, 0.1), flat_hours(40, 0.9)
    with app.app_context():  # 36 angry texts of 40 in the last hour
        dataset_id = build(
            team_of("ada"), 240, lambda hour: angry(hour) if hour == 239 else flat(hour)
        )
    made = _make_rule(
        client, dataset_id, metric="valence", emotion="", direction="drop", sensitivity="unusual"
    )
    assert made.status_code == 302, made.get_data(as_text=True)[-3000:]
    with app.app_context():
        alert_checks.check(now=NOW)
    page = client.get(f"/alerts/datasets/{dataset_id}").get_data(as_text=True)
    texts = re.search(r'<a href="([^"]*)" data-role="alert-texts">', page)
    assert texts[1] == (
        f"/datasets/{dataset_id}/texts?start=2026-12-03T13:00&amp;end=2026-12-03T13:00"
        "&amp;sort=negative"
    )
    shown = client.get(texts[1].replace("&amp;", "&")).get_data(as_text=True)
    assert "40 texts match" in shown
    assert shown.index('class="label emo-anger"') < shown.index('class="label emo-joy"')


def test_the_dashboard_filters_to_an_alerts_hour(app, client, auth):
    auth.login()
    with app.app_context():
        dataset_id = _spiked_feed()
        token = tokens.create_token(find_user("ada"), "t").secret
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    hour = {"start": "2026-12-03T13:00", "end": "2026-12-03T13:00"}
    summary = api.get(f"/api/v1/datasets/{dataset_id}/summary", query_string=hour, headers=headers)
    assert summary.get_json()["analysed"] == 40
    day = api.get(
        f"/api/v1/datasets/{dataset_id}/summary",
        query_string={"start": "2026-12-03", "end": "2026-12-03"},
        headers=headers,
    )
    assert day.get_json()["analysed"] == 14 * 40  # the hours up to 14:00
    page = client.get(f"/datasets/{dataset_id}", query_string=hour)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="start" value="2026-12-03"' in text  # the date form still shows a date
    assert 'data-role="hours"' in text


def test_cli_check_prints_what_it_judged(app, runner):
    latest = utcnow().replace(minute=0, second=0, microsecond=0)
    with app.app_context():
        dataset_id = _spiked_feed(end=latest)
        dataset_rule = {"metric": "emotion_share", "emotion": "anger", "direction": "rise"}
        dataset = db.session.get(Dataset, dataset_id)
        alert_rules.create(dataset.team_id, dataset, RuleInput(**dataset_rule), None)
    result = runner.invoke(["alerts", "check", "--dataset", str(dataset_id)])
    assert result.exit_code == 0, result.output
    assert "ALERT" in result.output and "Judged 1 windows: 1 alerts." in result.output
    again = runner.invoke(["alerts", "check"])
    assert again.exit_code == 0 and "Judged 0 windows: 0 alerts." in again.output


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--dataset", "999"], 1, "No dataset 999"),
        (["--dataset", "nine"], 2, "is not a valid integer"),
        (["--dataset", "0"], 2, "0"),
    ],
)
def test_cli_check_refuses_bad_input(runner, args, code, said):
    result = runner.invoke(["alerts", "check", *args])
    assert result.exit_code == code and said in result.output


def test_a_push_judges_the_feeds_due_windows_quickly(app):
    latest = utcnow().replace(minute=0, second=0, microsecond=0)
    with app.app_context():
        dataset_id = _spiked_feed(end=latest - timedelta(hours=1))
        dataset = db.session.get(Dataset, dataset_id)
        rule = alert_rules.create(dataset.team_id, dataset, RuleInput(metric="volume"), None).rule
        rule.checked_through = latest - timedelta(hours=1)
        rule_id = rule.id
        db.session.commit()
        token = tokens.create_token(find_user("ada"), "t").secret
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    pushed = api.post(
        f"/api/v1/datasets/{dataset_id}/texts", json=["On time today"], headers=headers
    )
    first = time.perf_counter() - started
    assert pushed.status_code == 201
    with app.app_context():
        assert db.session.get(AlertRule, rule_id).checked_through == latest
    started = time.perf_counter()  # nothing due now: the push only looks
    assert (
        api.post(f"/api/v1/datasets/{dataset_id}/texts", json=["Late"], headers=headers).status_code
        == 201
    )
    assert time.perf_counter() - started < max(first, 1.0)


def test_a_paused_rule_judges_nothing_and_resumes_with_the_latest_window(app, client, auth, api):
    auth.login()
    with app.app_context():
        dataset_id = _spiked_feed()
    _make_rule(client, dataset_id)
    with app.app_context():
        rule_id = db.session.scalar(select(AlertRule.id))
    page = f"/alerts/datasets/{dataset_id}"
    switch = f"/alerts/rules/{rule_id}/enabled"
    paused = client.post(switch, data={"enabled": "false", "csrf_token": csrf_token(client, page)})
    assert paused.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Alert rule paused: it judges no window until you resume it." in shown
    assert '<strong data-role="paused">Paused:</strong> anger share rises' in shown
    assert ">Resume</button>" in shown
    assert 'data-role="paused"' in client.get("/alerts").get_data(as_text=True)
    with app.app_context():
        alert_checks.check(now=NOW)
        assert db.session.get(AlertRule, rule_id).checked_through is None  # nothing judged
    assert 'data-role="alert"' not in client.get(page).get_data(as_text=True)

    answer = call(api, "PATCH", f"/api/v1/alert-rules/{rule_id}", json={"enabled": True})
    assert answer.status_code == 200 and answer.json["enabled"] is True
    with app.app_context():
        alert_checks.check(now=NOW)  # resumed: the latest window, the spike, is judged
    assert client.get(page).get_data(as_text=True).count('data-role="alert"') == 1
    with app.app_context():
        judged = db.session.get(AlertRule, rule_id).checked_through
        assert judged is not None
        rule = alert_rules.owned(team_of("ada"), rule_id)
        alert_rules.set_enabled(rule, False)
        alert_rules.set_enabled(rule, True)  # starts again, not from `judged`
        assert db.session.get(AlertRule, rule_id).checked_through is None
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("alert_rule.%"))
        ).all()
        assert actions.count("alert_rule.paused") == 1 and "alert_rule.resumed" in actions

    for body in ({"enabled": "no"}, {}, {"enabled": True, "extra": 1}):
        refused = call(api, "PATCH", f"/api/v1/alert-rules/{rule_id}", json=body)
        assert refused.status_code == 400, body
    assert (
        client.post(
            switch, data={"enabled": "maybe", "csrf_token": csrf_token(client, page)}
        ).status_code
        == 400
    )
    auth.logout()
    auth.register("bea")
    stranger = client.post(
        switch, data={"enabled": "false", "csrf_token": csrf_token(client, "/alerts")}
    )
    assert stranger.status_code == 404
