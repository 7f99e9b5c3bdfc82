"""Teams own the data: isolation between teams, the team a browser works in, tokens with a team
and a scope, quotas per team, and accounts that go with their teams."""

from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from emolytics import caching
from emolytics.accounts import lifecycle, registration, teams, tokens
from emolytics.extensions import db
from emolytics.pipeline import intake
from emolytics.pipeline.datasets import Upload
from emolytics.tables import ApiToken, Dataset, Membership, Team, User
from tests.conftest import PASSWORD, SETUP, AuthActions, csrf_token, join_team, team_of


def _client_of(app: Flask, username: str) -> tuple[FlaskClient, AuthActions]:
    client = app.test_client()
    auth = AuthActions(client)
    assert auth.login(username).status_code == 302
    return client, auth


def _dataset(team_id: int, name: str, texts: int = 2) -> int:
    content = "text\n" + "".join(f"tram text {index}\n" for index in range(texts))
    upload = Upload(name=name, source="upload")
    return intake.import_and_analyse(team_id, upload, BytesIO(content.encode()), "t.csv").id


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def research(app: Flask) -> int:
    """Team "Research", owned by olive, with grace (analyst) and ada (viewer); a dataset."""
    with app.app_context():
        olive = registration.register("olive", PASSWORD)
        registration.register("grace", PASSWORD)
        team_id = teams.create_team(olive, "Research", SETUP).id
        join_team(team_id, "grace", "analyst")
        join_team(team_id, "ada", "viewer")
        _dataset(team_id, "Research texts")
        _dataset(team_of("ada"), "Ada own texts")
    return team_id


# --- isolation and the team a browser works in -----------------------------------------------


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


# --- tokens: a team, a scope, and the role its user holds now ------------------------------


def test_a_read_token_may_only_read(app, research):
    with app.app_context():
        secret = tokens.create_token(
            registration.find_user("grace"), "reader", team_id=research, scope="read"
        ).secret
    client = app.test_client()
    me = client.get("/api/v1/me", headers=_bearer(secret))
    assert me.status_code == 200
    assert me.json["team"] == {"id": research, "name": "Research"}
    assert (me.json["role"], me.json["scope"]) == ("analyst", "read")
    assert [
        d["name"] for d in client.get("/api/v1/datasets", headers=_bearer(secret)).json["datasets"]
    ] == ["Research texts"]
    refused = client.post("/api/v1/datasets", json={"name": "Feed"}, headers=_bearer(secret))
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "read_only_token"
    assert "read scope" in refused.json["error"]["message"]


def test_a_token_follows_its_users_role_and_membership(app, research):
    with app.app_context():
        grace = registration.find_user("grace")
        secret = tokens.create_token(grace, "script", team_id=research).secret
    client = app.test_client()
    feed = {"name": "Feed"}
    assert client.post("/api/v1/datasets", json=feed, headers=_bearer(secret)).status_code == 201
    with app.app_context():
        join_team(research, "grace", "viewer")
    demoted = client.post("/api/v1/datasets", json=feed, headers=_bearer(secret))
    assert demoted.status_code == 403 and "is viewer" in demoted.json["error"]["message"]
    assert client.get("/api/v1/me", headers=_bearer(secret)).json["role"] == "viewer"
    with app.app_context():
        grace_id = registration.find_user("grace").id
        db.session.execute(
            delete(Membership).where(Membership.user_id == grace_id, Membership.team_id == research)
        )
        caching.changed_after_commit(db.session, [teams.seats_guard(grace_id)])
        db.session.commit()
    gone = client.get("/api/v1/me", headers=_bearer(secret))
    assert gone.status_code == 401 and gone.json["error"]["code"] == "invalid_token"


def test_a_disabled_users_tokens_stop(app, runner, research):
    with app.app_context():
        secret = tokens.create_token(registration.find_user("grace"), "s", team_id=research).secret
    client = app.test_client()
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 200
    assert runner.invoke(["users", "disable", "grace"]).exit_code == 0
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 401


def test_a_viewer_may_only_create_read_tokens_in_the_page(app, research):
    client, auth = _client_of(app, "ada")
    client.get(f"/account/tokens?team={research}")
    refused = auth.post("/account/tokens", {"name": "w", "scope": "write"})
    assert refused.status_code == 400
    assert "a viewer may only create read tokens" in refused.get_data(as_text=True)
    created = auth.post("/account/tokens", {"name": "r", "scope": "read"})
    assert created.status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == "r"))
        assert (token.team_id, token.scope) == (research, "read")
        assert db.session.scalar(select(func.count()).where(ApiToken.name == "w")) == 0


def test_an_admin_sees_and_revokes_the_teams_tokens_a_member_only_their_own(app, research):
    with app.app_context():
        olive = registration.find_user("olive")
        grace_token = tokens.create_token(
            registration.find_user("grace"), "grace-script", team_id=research
        )
        tokens.create_token(olive, "olive-script", team_id=research)
        tokens.create_token(registration.find_user("grace"), "grace-personal")
        grace_token_id = grace_token.token.id
    grace, _ = _client_of(app, "grace")
    page = grace.get(f"/account/tokens?team={research}").get_data(as_text=True)
    assert "grace-script" in page and "olive-script" not in page and "grace-personal" not in page
    olive_token_id = team_token_id(app, "olive-script")
    assert grace.get(f"/account/tokens/{olive_token_id}/revoke").status_code == 404

    olive_client, olive_auth = _client_of(app, "olive")
    page = olive_client.get(f"/account/tokens?team={research}").get_data(as_text=True)
    assert "grace-script" in page and "olive-script" in page and "grace-personal" not in page
    url = f"/account/tokens/{grace_token_id}/revoke"
    assert olive_client.get(url).status_code == 200
    assert olive_auth.post(url, {}, token_from=url).status_code == 302
    assert (
        app.test_client().get("/api/v1/me", headers=_bearer(grace_token.secret)).status_code == 401
    )


def team_token_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ApiToken.id).where(ApiToken.name == name))


# --- accounts go with their teams ---------------------------------------------------------


def _delete_account(app: Flask, username: str):
    client, auth = _client_of(app, username)
    return auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")


def test_the_only_owner_of_a_team_with_members_cannot_delete_their_account(app, research):
    response = _delete_account(app, "olive")
    assert response.status_code == 409
    assert "transfer ownership" in response.get_data(as_text=True)
    with app.app_context():
        assert registration.find_user("olive") is not None
        assert db.session.get(Team, research) is not None


def test_deleting_an_account_deletes_the_teams_it_was_alone_in(app, research):
    with app.app_context():
        alone = teams.create_team(registration.find_user("grace"), "Solo", SETUP).id
        _dataset(alone, "Solo texts")
        personal = team_of("grace")
        _dataset(personal, "Grace own")
    assert _delete_account(app, "grace").status_code == 302
    with app.app_context():
        assert registration.find_user("grace") is None
        assert db.session.get(Team, alone) is None and db.session.get(Team, personal) is None
        names = set(db.session.scalars(select(Dataset.name)))
        assert names == {"Research texts", "Ada own texts"}  # the shared team keeps its data
        assert db.session.get(Team, research) is not None


def test_a_co_owned_team_stays_when_one_owner_goes(app, research):
    """`teams_going_with`: a co-owned team stays, with its data, when one owner goes."""
    with app.app_context():
        join_team(research, "grace", "owner")
        olive = registration.find_user("olive")
        going = lifecycle.teams_going_with(olive)
        assert going == [team_of("olive")]
        lifecycle.remove_account(olive, going)
        assert db.session.get(Team, research) is not None
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


# --- the CLI ------------------------------------------------------------------------------


def test_cli_teams_create_list_and_add_member(app, runner):
    with app.app_context():
        registration.register("grace", PASSWORD)
    created = runner.invoke(["teams", "create", "Research", "--owner", "ada"])
    assert created.exit_code == 0 and "Created team Research" in created.output
    added = runner.invoke(["teams", "add-member", "Research", "grace", "--role", "analyst"])
    assert added.exit_code == 0, added.output
    listing = runner.invoke(["teams", "list", "--user", "grace"]).output
    assert "Research" in listing and "analyst" in listing and "grace" in listing
    rows = [line.split() for line in runner.invoke(["teams", "list"]).output.splitlines()[1:]]
    assert ["Research", "2"] in [row[1:3] for row in rows]
    again = runner.invoke(["teams", "add-member", "Research", "grace"])
    assert again.exit_code == 1 and "already a member" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["teams", "create", " ", "--owner", "ada"], "A team name is 1-80 characters."),
        (["teams", "create", "X", "--owner", "nobody"], "No user named 'nobody'."),
        (["teams", "add-member", "Nowhere", "ada"], "No team with the id or name 'Nowhere'."),
        (["teams", "add-member", "1", "ada", "--role", "boss"], "Invalid value for '--role'"),
        (["teams", "list", "--user", "nobody"], "No user named 'nobody'."),
    ],
)
def test_cli_teams_refusals(runner, args, message):
    result = runner.invoke(args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_cli_tokens_in_a_team_with_a_scope(app, runner, research):
    client = app.test_client()
    secret = runner.invoke(["tokens", "create", "grace", "ci", "--team", "Research"]).output.strip()
    me = client.get("/api/v1/me", headers=_bearer(secret)).json
    assert (me["team"]["id"], me["role"], me["scope"]) == (research, "analyst", "write")
    by_id = runner.invoke(
        ["tokens", "create", "ada", "r", "--team", str(research), "--scope", "read"]
    )
    assert by_id.exit_code == 0, by_id.output
    assert client.get("/api/v1/me", headers=_bearer(by_id.output.strip())).json["scope"] == "read"
    personal = runner.invoke(["tokens", "create", "ada", "mine"]).output.strip()
    assert client.get("/api/v1/me", headers=_bearer(personal)).json["team"]["name"] == "ada"


def test_cli_token_refusals(app, runner, research):
    with app.app_context():
        teams.create_team(registration.find_user("ada"), "Research", SETUP)  # a second "Research"
        registration.register("mallory", PASSWORD)
    cases = [
        (["tokens", "create", "grace", "x", "--team", "Research"], "give the team's id"),
        (["tokens", "create", "mallory", "x", "--team", str(research)], "not a member"),
        (["tokens", "create", "ada", "x", "--team", str(research)], "may only create read"),
        (["tokens", "create", "ada", "x", "--scope", "admin"], "Invalid value for '--scope'"),
        (["tokens", "create", "ada", "x", "--team", "Nowhere"], "No team with the id or name"),
    ]
    for args, message in cases:
        result = runner.invoke(args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output
