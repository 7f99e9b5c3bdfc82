"""Teams own the data: the team a browser works in, members' uploads, the quota per team."""

from io import BytesIO

from flask import Flask
from sqlalchemy import delete, select

from emolytics import caching
from emolytics.accounts import registration, teams, tokens
from emolytics.extensions import db
from emolytics.tables import Dataset, Membership
from tests.conftest import PASSWORD, SETUP, csrf_token, join_team, team_of
from tests.web.research_team import _bearer, _client_of, _dataset


def test_a_browser_works_in_its_personal_team_until_a_link_chooses_another(app, research):
    client, _ = _client_of(app, "ada")
    home = client.get("/dashboard").get_data(as_text=True)
    assert "Ada own texts" in home and "Research texts" not in home
    switched = client.get(f"/dashboard?team={research}").get_data(as_text=True)
    assert "Research texts" in switched and "Ada own texts" not in switched
    later = client.get("/models").status_code, client.get("/dashboard").get_data(as_text=True)
    assert later[0] == 200 and "Research texts" in later[1]  # the session keeps the choice


def test_a_link_to_a_team_of_others_is_ignored(app, research):
    with app.app_context():
        registration.register("mallory", PASSWORD)
    client, _ = _client_of(app, "mallory")
    for query in (f"?team={research}", "?team=nonsense", "?team=99999999999999"):
        response = client.get(f"/dashboard{query}")
        assert response.status_code == 200
        assert "Research texts" not in response.get_data(as_text=True)
    with app.app_context():
        dataset_id = db.session.scalar(select(Dataset.id).where(Dataset.name == "Research texts"))
    assert client.get(f"/datasets/{dataset_id}?team={research}").status_code == 404


def test_a_member_removed_from_the_team_falls_back_to_their_personal_team(app, research):
    client, _ = _client_of(app, "ada")
    assert "Research texts" in client.get(f"/dashboard?team={research}").get_data(as_text=True)
    with app.app_context():
        ada = registration.find_user("ada")
        db.session.execute(
            delete(Membership).where(Membership.team_id == research, Membership.user_id == ada.id)
        )
        caching.changed_after_commit(db.session, [teams.seats_guard(ada.id)])
        db.session.commit()
        dataset_id = db.session.scalar(select(Dataset.id).where(Dataset.name == "Research texts"))
    home = client.get("/dashboard").get_data(as_text=True)
    assert "Ada own texts" in home and "Research texts" not in home
    assert client.get(f"/datasets/{dataset_id}").status_code == 404


def test_a_viewer_is_told_why_an_upload_is_refused(app, research):
    client, _ = _client_of(app, "ada")
    response = client.get(f"/datasets/new?team={research}")
    assert response.status_code == 403
    assert "Your role in Research is viewer: this needs analyst or above." in response.get_data(
        as_text=True
    )


def test_an_analyst_uploads_into_the_team_and_its_members_see_it(app, research):
    client, auth = _client_of(app, "grace")
    client.get(f"/dashboard?team={research}")
    form = {
        "name": "Grace upload",
        "csrf_token": csrf_token(client, "/datasets/new"),
        "file": (BytesIO(b"text\nthe tram is lovely\n"), "g.csv"),
    }
    response = client.post("/datasets/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Dataset).where(Dataset.name == "Grace upload"))
        assert stored.team_id == research
    olive, _ = _client_of(app, "olive")
    assert "Grace upload" in olive.get(f"/dashboard?team={research}").get_data(as_text=True)
    assert "Grace upload" not in olive.get(f"/dashboard?team={team_of_in(app, 'olive')}").text


def team_of_in(app: Flask, username: str) -> int:
    with app.app_context():
        return team_of(username)


def test_the_stored_quota_is_the_teams_whoever_uploads(app, app_factory):
    app = app_factory(MAX_STORED_ROWS=5)  # on the database `app` made ready
    with app.app_context():
        olive = registration.register("olive", PASSWORD)
        registration.register("grace", PASSWORD)
        team_id = teams.create_team(olive, "Research", SETUP).id
        join_team(team_id, "grace", "analyst")
        _dataset(team_id, "Olive's", texts=3)
        grace = tokens.create_token(registration.find_user("grace"), "g", team_id=team_id)
        own = tokens.create_token(registration.find_user("grace"), "own")
    client = app.test_client()
    upload = {"file": (BytesIO(b"text\na\nb\nc\n"), "g.csv"), "name": "Grace's"}
    refused = client.post("/api/v1/datasets", data=upload, headers=_bearer(grace.secret))
    assert refused.status_code == 413 and "hold 3 texts and may hold 5" in refused.text
    upload = {"file": (BytesIO(b"text\na\nb\nc\n"), "g.csv"), "name": "Grace's"}
    assert (
        client.post("/api/v1/datasets", data=upload, headers=_bearer(own.secret)).status_code == 201
    )
