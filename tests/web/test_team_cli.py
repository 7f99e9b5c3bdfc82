"""The teams and tokens commands of the CLI: create, list, add a member, and their refusals."""

import pytest

from emolytics.accounts import registration, teams
from tests.conftest import PASSWORD, SETUP
from tests.web.research_team import _bearer


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
