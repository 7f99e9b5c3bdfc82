"""A team with one member of each role, their API tokens, and a stranger: for the team tests;
and the team the layout says a session works in."""

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from emolytics import caching
from emolytics.accounts import registration, teams, tokens
from emolytics.extensions import db
from emolytics.tables import Membership, Role
from tests.conftest import PASSWORD, SETUP, AuthActions

WORKING_IN = re.compile(r'class="team-current">([^<]*)</span> <span class="role">\(([^)]*)\)')
ROLES = {"ada": Role.OWNER, "bob": Role.ADMIN, "cleo": Role.ANALYST, "dan": Role.VIEWER}


@dataclass
class World:
    app: Flask
    team_id: int
    ids: dict[str, int]  # username -> user id (the stranger "eve" too)
    secrets: dict[str, str]  # username -> API token

    def call(self, who: str, method: str, url: str, **kwargs: Any) -> TestResponse:
        client: FlaskClient = self.app.test_client()
        headers = {"Authorization": f"Bearer {self.secrets[who]}"}
        return client.open(url, method=method, headers=headers, **kwargs)

    def role_of(self, username: str, team_id: int | None = None) -> Role | None:
        with self.app.app_context():
            membership = db.session.get(Membership, (team_id or self.team_id, self.ids[username]))
            return None if membership is None else membership.role


def build_world(app: Flask) -> World:
    """ada owns "Care"; bob is its admin, cleo its analyst, dan its viewer; eve is in none."""
    with app.app_context():
        users = {"ada": registration.find_user("ada")}
        for name in ("bob", "cleo", "dan", "eve"):
            users[name] = registration.register(name, PASSWORD)
        team = teams.create_team(users["ada"], "Care", SETUP)
        for name, role in ROLES.items():
            if name != "ada":
                db.session.add(Membership(team_id=team.id, user_id=users[name].id, role=role))
        guards = [teams.seats_guard(user.id) for user in users.values()]
        caching.changed_after_commit(db.session, guards)
        db.session.commit()
        secrets = {name: tokens.create_token(user, "tests").secret for name, user in users.items()}
        ids = {name: user.id for name, user in users.items()}
        return World(app, team.id, ids, secrets)


def memberships(app: Flask, team_id: int) -> dict[int, Role]:
    with app.app_context():
        rows = db.session.execute(
            select(Membership.user_id, Membership.role).where(Membership.team_id == team_id)
        )
        return {user_id: role for user_id, role in rows}


def signed_in(world: World, username: str) -> AuthActions:
    auth = AuthActions(world.app.test_client())
    assert auth.login(username).status_code == 302
    return auth


def working_in(auth: AuthActions) -> str:
    """The team the layout's team menu says the session works in: "Care (viewer)"."""
    page = auth.client.get("/dashboard").get_data(as_text=True)
    found = WORKING_IN.search(page)
    assert found, page
    return f"{found.group(1)} ({found.group(2)})"
