"""Every audited action leaves one row: who, in which team, from where, what, and how it went."""

import io

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics.accounts import audit, registration, teams
from emolytics.extensions import db
from emolytics.tables import EmotionModel, LoginEvent, UserSession
from tests.conftest import PASSWORD, csrf_token, team_of
from tests.web.api_calls import LABELED_CSV, call, upload
from tests.web.audit_rows import events
from tests.web.model_steps import train

NOBODY = audit.Actor(None, "nobody")
ADA = audit.Actor(1, "ada", "10.0.0.1")


def ids(app: Flask, username: str = "ada") -> tuple[int, int]:
    """The user's id and their personal team's id."""
    with app.app_context():
        user = registration.find_user(username)
        return user.id, teams.personal_seat(user.id).team_id


def test_sign_in_failed_and_ok_are_recorded(app, auth):
    ada, _ = ids(app)
    assert auth.login(password="wrong password!").status_code == 200
    auth.login(username="nobody")
    assert auth.login().status_code == 302

    failed, unknown, ok = events(app, "auth.sign_in")
    assert failed["outcome"] == "failed" and ok["outcome"] == "ok"
    for event in (failed, ok):
        assert (event["actor_id"], event["actor_name"], event["team_id"]) == (ada, "ada", None)
        assert event["ip"] == "127.0.0.1"
        assert event["target"] == f'user {ada} "ada"'
    assert unknown["actor_id"] is None and unknown["actor_name"] == "nobody"
    assert unknown["outcome"] == "failed" and unknown["target"] == 'unknown user "nobody"'


def test_a_failed_sign_in_is_recorded_though_nothing_else_is_kept(app, auth):
    auth.login(password="wrong password!")
    assert [event["outcome"] for event in events(app)] == ["failed"]
    with app.app_context():  # the refusal started no session
        assert db.session.scalars(select(UserSession)).all() == []
        assert db.session.scalar(select(LoginEvent.success)) is False


def test_a_throttled_sign_in_is_recorded_as_refused(app, auth):
    for _ in range(3):
        auth.login(password="wrong password!")
    assert auth.login().status_code == 429
    outcomes = [event["outcome"] for event in events(app, "auth.sign_in")]
    assert outcomes == ["failed", "failed", "failed", "refused"]


def test_sign_out_password_change_and_tokens_are_recorded(app, client, auth):
    ada, _ = ids(app)
    auth.login()
    form = {"current_password": "not it at all", "new_password": "x" * 20, "confirm": "x" * 20}
    assert auth.post("/account", form).status_code == 400
    form["current_password"] = PASSWORD
    assert auth.post("/account", form).status_code == 302
    assert auth.post("/account/tokens", {"name": "ci"}).status_code == 200
    token_event = events(app, "token.created")[0]
    token_id = int(token_event["target"].split()[1])
    assert auth.post(f"/account/tokens/{token_id}/revoke", {}).status_code == 302
    assert auth.logout().status_code == 302

    recorded = [(e["action"], e["outcome"]) for e in events(app)]
    assert recorded == [
        ("auth.sign_in", "ok"),
        ("account.password_changed", "failed"),
        ("account.password_changed", "ok"),
        ("token.created", "ok"),
        ("token.revoked", "ok"),
        ("auth.sign_out", "ok"),
    ]
    assert token_event["target"].startswith(f'token {token_id} "ci" (emo_')
    assert events(app, "token.revoked")[0]["target"] == f"token {token_id}"
    with app.app_context():
        team = team_of("ada")  # tokens belong to a team: their events are the team's too
    for event in events(app):
        expected_team = team if event["action"].startswith("token.") else None
        assert (event["actor_id"], event["team_id"], event["ip"]) == (
            ada,
            expected_team,
            "127.0.0.1",
        )


def test_dataset_events_on_the_pages_name_the_team(app, client, auth):
    ada, team = ids(app)
    auth.login()
    token = csrf_token(client, "/datasets/new")
    assert client.post("/datasets/sample", data={"csrf_token": token}).status_code == 302
    (uploaded,) = events(app, "dataset.uploaded")
    dataset_id = int(uploaded["target"].split()[1])
    assert uploaded["target"] == f'dataset {dataset_id} "Sample: the new tram"'

    form = {
        "name": "Reviews",
        "file": (io.BytesIO(b"text\nLovely tram\nLate again\n"), "r.csv"),
        "csrf_token": token,
    }
    assert client.post("/datasets/new", data=form).status_code == 302
    for file_format in ("csv", "jsonl"):
        exported = client.get(f"/datasets/{dataset_id}/export.{file_format}")
        assert exported.status_code == 200 and b"tram" in exported.data  # read it whole
    keywords = {"keywords": "tram, price", "csrf_token": token}
    assert client.post(f"/datasets/{dataset_id}/keywords", data=keywords).status_code == 302
    confirm = {"confirm_name": "Sample: the new tram"}
    assert auth.post(f"/datasets/{dataset_id}/delete", confirm).status_code == 302

    recorded = [(e["action"], e["target"].split(" as ")[-1]) for e in events(app)[1:]]
    assert [action for action, _ in recorded] == [
        "dataset.uploaded",
        "dataset.uploaded",
        "dataset.exported",
        "dataset.exported",
        "dataset.keywords_changed",
        "dataset.deleted",
    ]
    assert [suffix for action, suffix in recorded if action == "dataset.exported"] == [
        "csv",
        "jsonl",
    ]
    for event in events(app)[1:]:
        assert (event["actor_id"], event["actor_name"], event["team_id"]) == (ada, "ada", team)
        assert (event["ip"], event["outcome"]) == ("127.0.0.1", "ok")


def test_model_events_on_the_pages(app, client, auth):
    ada, team = ids(app)
    auth.login()
    assert train(auth).status_code == 302
    # the inline queue of the tests trains before the page records that training started
    trained, started = events(app)[1:]
    assert started["action"] == "model.training_started"
    assert trained["action"] == "model.trained"  # by the job (who started it is just above)
    model_id = int(started["target"].split()[1])
    with app.app_context():  # the model's team (teams-core sets it at creation)
        model_team = db.session.get(EmotionModel, model_id).team_id
    assert (trained["actor_id"], trained["team_id"], trained["ip"]) == (None, model_team, None)
    assert trained["actor_name"] == "training job"
    assert (started["actor_id"], started["team_id"]) == (ada, model_team)
    assert trained["target"] == started["target"] == f'model {model_id} "Tickets"'
    assert auth.post(f"/models/{model_id}/delete", {"confirm_name": "Tickets"}).status_code == 302
    deleted = events(app, "model.deleted")[0]
    assert (deleted["actor_id"], deleted["team_id"], deleted["target"]) == (
        ada,
        team,
        f'model {model_id} "Tickets"',
    )


def test_api_uploads_deletions_and_models_are_recorded(app, api):
    ada, team = ids(app)
    dataset_id = upload(api).json["id"]
    assert call(api, "POST", "/api/v1/datasets", json={"name": "Live"}).status_code == 201
    assert call(api, "DELETE", f"/api/v1/datasets/{dataset_id}").status_code == 204
    form = {"name": "Moods", "file": (io.BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    model_id = call(api, "POST", "/api/v1/models", data=form).json["id"]
    assert call(api, "DELETE", f"/api/v1/models/{model_id}").status_code == 204

    recorded = [(e["action"], e["target"]) for e in events(app)]
    assert recorded[0] == ("dataset.uploaded", f'dataset {dataset_id} "Tram"')
    assert recorded[1][0] == "dataset.uploaded" and recorded[1][1].endswith('"Live"')
    assert recorded[2] == ("dataset.deleted", f'dataset {dataset_id} "Tram"')
    assert [action for action, _ in recorded[3:]] == [
        "model.trained",  # the inline queue of the tests trains before the view records
        "model.training_started",
        "model.deleted",
    ]
    assert recorded[-1] == ("model.deleted", f'model {model_id} "Moods"')
    for event in events(app):
        if event["action"] != "model.trained":  # the model's team, recorded by the job
            assert (event["actor_id"], event["team_id"]) == (ada, team)


def test_record_apart_stays_when_the_transaction_rolls_back(app):
    with app.app_context():
        audit.record(audit.Event("dataset.deleted", NOBODY))
        audit.record_apart(audit.Event("auth.second_factor", ADA, None, "user 1", "failed"))
        db.session.rollback()
    assert [(e["action"], e["outcome"]) for e in events(app)] == [("auth.second_factor", "failed")]


def test_an_unknown_outcome_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="ok, failed, refused"):
        audit.Event("x.y", NOBODY, outcome="meh")


def test_the_command_line_records_what_an_administrator_did(app, runner):
    ada, _ = ids(app)
    assert runner.invoke(["tokens", "create", "ada", "deploy"]).exit_code == 0
    assert runner.invoke(["tokens", "revoke", "ada", "deploy"]).exit_code == 0
    assert runner.invoke(["users", "disable", "ada"]).exit_code == 0
    assert runner.invoke(["users", "enable", "ada"]).exit_code == 0
    new_password = "a brand new passphrase"
    assert (
        runner.invoke(
            ["users", "set-password", "ada", "--password-stdin"], new_password + "\n"
        ).exit_code
        == 0
    )

    recorded = events(app)
    assert [event["action"] for event in recorded] == [
        "token.created",
        "token.revoked",
        "account.disabled",
        "account.enabled",
        "account.password_set",
    ]
    token_id = int(recorded[0]["target"].split()[1])
    assert recorded[1]["target"] == f'token {token_id} "deploy" of ada'
    assert recorded[2]["target"] == f'user {ada} "ada"'
    for event in recorded:
        assert (event["actor_id"], event["actor_name"], event["ip"]) == (None, "command line", None)
