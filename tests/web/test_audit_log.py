"""Reading the audit log: a team's admins on /audit and the API, exports, every user's own events
on /account/activity, and retention."""

import csv
import io
import json
import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select

from emolytics import caching
from emolytics.accounts import audit, registration, teams, tokens
from emolytics.extensions import db
from emolytics.tables import AuditEvent, Membership, Role, utcnow
from tests.conftest import PASSWORD, SETUP, ApiClient, AuthActions

ADA = audit.Actor(1, "ada")


def add(app: Flask, action: str, team_id: int | None, actor: tuple[int, str], **extra) -> None:
    """Record one event (from 10.0.0.9 unless told) and commit it."""
    with app.app_context():
        audit.record(
            audit.Event(
                action,
                audit.Actor(*actor, ip=extra.pop("ip", "10.0.0.9")),
                team_id=team_id,
                target=extra.pop("target", 'dataset 1 "Reviews"'),
                **extra,
            )
        )
        db.session.commit()


@pytest.fixture
def world(app: Flask) -> dict:
    """Team Acme: ada owns it; vic, ana and adi are its viewer, analyst and admin; sam is no
    member. Each has a token in their personal team."""
    people = {}
    with app.app_context():
        for name in ("vic", "ana", "adi", "sam"):
            registration.register(name, PASSWORD)
        ada = registration.find_user("ada")
        team = teams.create_team(ada, "Acme", SETUP)
        for name, role in (("vic", Role.VIEWER), ("ana", Role.ANALYST), ("adi", Role.ADMIN)):
            user = registration.find_user(name)
            db.session.add(Membership(team_id=team.id, user_id=user.id, role=role))
            caching.changed_after_commit(db.session, [teams.seats_guard(user.id)])
        db.session.commit()
        for name in ("ada", "vic", "ana", "adi", "sam"):
            user = registration.find_user(name)
            people[name] = (user.id, tokens.create_token(user, "t").secret)
        team_id = team.id
    return {"team": team_id, "people": people}


def in_team(client, auth: AuthActions, username: str, team_id: int) -> None:
    auth.login(username)
    with client.session_transaction() as session:
        session["team_id"] = team_id


def api_of(app: Flask, world: dict, name: str) -> ApiClient:
    return ApiClient(app.test_client(), world["people"][name][1])


def test_admins_see_their_teams_events_newest_first(app, client, auth, world):
    team = world["team"]
    ada = world["people"]["ada"][0]
    add(app, "dataset.uploaded", team, (ada, "ada"), target='dataset 7 "Old"')
    add(app, "dataset.deleted", team, (ada, "ada"), target='dataset 7 "Old"', outcome="ok")
    add(app, "dataset.uploaded", None, (ada, "ada"), target="another team's")
    in_team(client, auth, "adi", team)
    page = client.get("/audit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Audit log of Acme" in text and "3 events" in text  # and the team's creation
    assert (
        text.index("dataset.deleted") < text.index("dataset.uploaded") < text.index("team.created")
    )
    assert "another team" not in text
    assert "10.0.0.9" in text


@pytest.mark.parametrize("username", ["vic", "ana"])
def test_viewers_and_analysts_may_not_see_the_audit_log(client, auth, world, username):
    in_team(client, auth, username, world["team"])
    for url in ("/audit", "/audit/export.csv", "/audit/export.xlsx", "/audit/export.jsonl"):
        response = client.get(url)
        assert response.status_code == 403
        assert b"this needs admin or above" in response.data


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/audit")
    assert response.status_code == 302 and "/login?next=" in response.location


def test_filters_by_action_and_day(app, client, auth, world):
    team, ada = world["team"], world["people"]["ada"][0]
    for action in ("dataset.uploaded", "dataset.deleted", "model.deleted", "datasets.other"):
        add(app, action, team, (ada, "ada"))
    in_team(client, auth, "ada", team)
    text = client.get("/audit?action=dataset").get_data(as_text=True)
    assert "2 events" in text and "model.deleted" not in text and "datasets.other" not in text
    today = utcnow().date()
    assert "5 events" in client.get(f"/audit?since={today}&until={today}").get_data(as_text=True)
    tomorrow = today + timedelta(days=1)
    assert "0 events" in client.get(f"/audit?since={tomorrow}").get_data(as_text=True)
    bad = client.get("/audit?since=yesterday")
    assert bad.status_code == 400 and b"since must be a day like 2026-03-01" in bad.data


def test_exports_hold_the_filtered_events(app, client, auth, world):
    team, ada = world["team"], world["people"]["ada"][0]
    add(app, "dataset.uploaded", team, (ada, "ada"), target='=HYPERLINK("x")')
    add(app, "model.deleted", team, (ada, "ada"), target='model 4 "M"', outcome="refused")
    in_team(client, auth, "adi", team)

    stopped = client.get("/audit/export.jsonl")  # a download cut after its first line (on
    stopped.close()  # PostgreSQL, its server-side cursor is closed, not left to warn)
    response = client.get("/audit/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"audit-team-{team}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == list(audit.COLUMNS)
    # an export is recorded as it starts, so it lists itself first
    actions = [row["action"] for row in rows]
    assert actions == [
        "audit.exported",
        "audit.exported",
        "model.deleted",
        "dataset.uploaded",
        "team.created",
    ]
    assert rows[2]["outcome"] == "refused" and rows[2]["actor_name"] == "ada"
    assert rows[3]["target"] == '\'=HYPERLINK("x")'  # inert in a spreadsheet
    assert rows[3]["ip"] == "10.0.0.9" and rows[3]["team_id"] == str(team)

    response = client.get("/audit/export.jsonl?action=model")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(lines) == 1
    assert lines[0]["action"] == "model.deleted" and lines[0]["actor_id"] == ada
    assert set(lines[0]) == set(audit.COLUMNS)
    with app.app_context():  # exporting is itself recorded
        exported = db.session.scalars(
            select(AuditEvent.target).where(AuditEvent.action == "audit.exported")
        ).all()
    assert exported == [f"team {team} audit log as {kind}" for kind in ("jsonl", "csv", "jsonl")]


def test_the_excel_export_holds_the_csvs_events_typed(client, auth, world):
    team = world["team"]
    in_team(client, auth, "adi", team)
    page = client.get("/audit?action=team").get_data(as_text=True)
    link = re.search(r'href="([^"]*)">Excel<', page).group(1).replace("&amp;", "&")
    assert link == "/audit/export.xlsx?action=team"
    response = client.get(link)
    assert response.status_code == 200
    assert f"audit-team-{team}.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["Audit log"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == audit.COLUMNS
    assert [row[5] for row in rows[1:]] == ["team.created"]
    written = next(csv.DictReader(io.StringIO(client.get("/audit/export.csv?action=team").text)))
    typed = dict(zip(audit.COLUMNS, rows[1], strict=True))
    assert typed["id"] == int(written["id"]) and typed["team_id"] == team
    assert isinstance(typed["at"], datetime) and typed["at"].isoformat()[:19] == written["at"][:19]
    assert typed["actor_name"] == written["actor_name"] and typed["ip"] is None


def test_the_api_pages_a_teams_events_for_its_admins(app, world):
    team, ada = world["team"], world["people"]["ada"][0]
    for number in range(5):
        add(app, "dataset.uploaded", team, (ada, "ada"), target=f"dataset {number}")
    admin = api_of(app, world, "adi")
    first = admin.get(f"/api/v1/teams/{team}/audit?per_page=2")
    assert first.status_code == 200
    assert (first.json["total"], first.json["pages"], first.json["per_page"]) == (6, 3, 2)
    assert [event["target"] for event in first.json["events"]] == ["dataset 4", "dataset 3"]
    last = admin.get(f"/api/v1/teams/{team}/audit?per_page=2&page=3").json
    assert [event["target"] for event in last["events"]] == ["dataset 0", f'team {team} "Acme"']
    event = last["events"][0]
    assert (event["actor_id"], event["actor_name"], event["team_id"]) == (ada, "ada", team)
    assert (event["ip"], event["outcome"]) == ("10.0.0.9", "ok")
    assert event["action"] == "dataset.uploaded"
    filtered = admin.get(f"/api/v1/teams/{team}/audit?action=model").json
    assert filtered["total"] == 0


@pytest.mark.parametrize(
    ("username", "status", "code"),
    [("vic", 403, "forbidden"), ("ana", 403, "forbidden"), ("sam", 404, "not_found")],
)
def test_the_api_refuses_non_admins_and_strangers(app, world, username, status, code):
    response = api_of(app, world, username).get(f"/api/v1/teams/{world['team']}/audit")
    assert response.status_code == status
    assert response.json["error"]["code"] == code


@pytest.mark.parametrize(
    "query", ["page=0", "per_page=201", "per_page=x", "since=2026-02-30", "action=" + "a" * 61]
)
def test_the_api_refuses_bad_parameters(app, world, query):
    response = api_of(app, world, "adi").get(f"/api/v1/teams/{world['team']}/audit?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_parameter"


def test_a_user_sees_only_their_own_events_on_the_activity_page(app, client, auth, world):
    vic = world["people"]["vic"][0]
    add(app, "dataset.deleted", world["team"], (vic, "vic"), target="done by vic")
    auth.login("ada")
    text = client.get("/account/activity").get_data(as_text=True)
    assert "auth.sign_in" in text and "done by vic" not in text
    assert "your team's audit log" in text  # ada owns the team she works in
    auth.logout()
    auth.login("vic")
    text = client.get("/account/activity").get_data(as_text=True)
    assert "done by vic" in text and "1 event" not in text


def test_the_activity_page_is_paginated(app, client, auth):
    with app.app_context():
        ada = registration.find_user("ada").id
    for number in range(60):
        add(app, "dataset.uploaded", None, (ada, "ada"), target=f"upload number {number}")
    auth.login()
    first = client.get("/account/activity").get_data(as_text=True)
    assert "61 events" in first and "page 1 of 2" in first
    assert "auth.sign_in" in first and "upload number 0<" not in first
    second = client.get("/account/activity?page=2").get_data(as_text=True)
    assert "upload number 0<" in second and "upload number 59<" not in second


def test_prune_deletes_only_events_older_than_the_retention(app, runner):
    with app.app_context():
        for days in (400, 366, 364, 1):
            event = audit.record(
                audit.Event("dataset.uploaded", ADA, team_id=1, target=f"{days} days ago")
            )
            event.at = utcnow() - timedelta(days=days)
        db.session.commit()
        assert audit.prune_expired(365) == 2
        kept = db.session.scalars(select(AuditEvent.target).order_by(AuditEvent.id)).all()
    assert kept == ["364 days ago", "1 days ago", "2 events older than 365 days"]

    result = runner.invoke(["audit", "prune", "--days", "2"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 audit events." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_postgresql_refuses_to_change_an_event(app, postgres_url):
    if not postgres_url:
        pytest.skip("the trigger is PostgreSQL's (TEST_DATABASE_URL)")
    from sqlalchemy import update
    from sqlalchemy.exc import DBAPIError

    add(app, "dataset.deleted", None, (1, "ada"))
    with app.app_context():
        with pytest.raises(DBAPIError, match="audit events are never changed"):
            db.session.execute(update(AuditEvent).values(outcome="failed"))
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent.outcome)) == "ok"
