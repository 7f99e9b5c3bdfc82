"""Every team endpoint with its least role, tried as a viewer, an analyst, an admin, a stranger."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from emolytics.accounts import invitations, registration, teams, tokens
from emolytics.accounts.audit import Actor
from emolytics.extensions import db
from emolytics.pipeline import (
    added_files,
    alert_rules,
    annotations,
    corrections,
    datasets,
    intake,
    jobs,
    saved_views,
    training,
)
from emolytics.pipeline.datasets import Upload
from emolytics.pipeline.filters import Filters
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.tables import Dataset, Role, SavedView, Subscription, TextRow
from tests.conftest import PASSWORD, SETUP, AuthActions, csrf_token, join_team
from tests.web.access_table import ACCESS

# URL arguments that name something of the team: a stranger must get 404 wherever one is used
TEAM_ARGUMENTS = {
    "dataset_id",
    "model_id",
    "job_id",
    "text_id",
    "team_id",
    "invitation_id",
    "rule_id",
    "view_id",
    "annotation_id",
}
SHARED_NAME = "Shared tram texts"  # the team's dataset: a stranger must never see it
CALLERS = {"viewer": Role.VIEWER, "analyst": Role.ANALYST, "admin": Role.ADMIN}
# Endpoints that end the caller's own membership: tried after every other one.
LAST = {"teams.leave"}


@dataclass
class World:
    """A team with a dataset (analysed), a model and members of each role; and a stranger
    (owner of their own team, with a dataset of their own)."""

    app: Flask
    team_id: int
    dataset_id: int
    model_id: int
    user_ids: dict[str, int]

    def values(self) -> dict[str, Any]:
        """The URL arguments, from the database as it is now (an analysis run again by an
        earlier request has a new job)."""
        with self.app.app_context():
            job = jobs.latest(self.dataset_id)
            text_id = db.session.scalar(
                select(TextRow.id).where(TextRow.dataset_id == self.dataset_id).limit(1)
            )
            return {
                "team_id": self.team_id,
                "dataset_id": self.dataset_id,
                "model_id": self.model_id,
                "job_id": job.id,
                "text_id": text_id,
                "file_format": "csv",
                "filename": "style.css",
                "user_id": self.user_ids["viewer"],
                "invitation_id": 0,  # replaced by a fresh one where it is used (FRESH)
                "rule_id": 0,  # likewise
                "view_id": 0,  # likewise
                "annotation_id": 0,  # likewise
                "file_id": 0,  # likewise
                "subscription_id": 0,  # likewise
            }

    def new_dataset(self) -> dict[str, Any]:
        with self.app.app_context():
            return {"dataset_id": datasets.create_feed(self.team_id, "Throwaway").id}

    def new_member(self) -> dict[str, Any]:
        with self.app.app_context():
            name = f"member{len(self.user_ids)}"
            self.user_ids[name] = registration.register(name, PASSWORD).id
            join_team(self.team_id, name, "viewer")
            return {"user_id": self.user_ids[name]}

    def new_invitation(self) -> dict[str, Any]:
        with self.app.app_context():
            owner_id = self.user_ids["olive"]
            created = invitations.create(Actor(owner_id, "owner"), self.team_id, Role.VIEWER)
            return {"invitation_id": created.invitation.id}

    def new_rule(self) -> dict[str, Any]:
        with self.app.app_context():
            dataset = db.session.get(Dataset, self.dataset_id)
            asked = RuleInput(metric="volume")
            return {"rule_id": alert_rules.create(self.team_id, dataset, asked, None).rule.id}

    def new_correction(self) -> dict[str, Any]:
        """A correction of the text the URL names (removing one needs one to remove)."""
        values = self.values()
        with self.app.app_context():
            dataset = db.session.get(Dataset, self.dataset_id)
            corrections.correct(dataset, values["text_id"], "anger", self.user_ids["olive"])
        return {}

    def new_view(self) -> dict[str, Any]:
        with self.app.app_context():
            dataset = db.session.get(Dataset, self.dataset_id)
            name = f"View {db.session.scalar(select(func.count(SavedView.id)))}"
            view = saved_views.save(dataset, name, Filters(label="joy"), self.user_ids["olive"])
            return {"view_id": view.id}

    def new_annotation(self) -> dict[str, Any]:
        with self.app.app_context():
            dataset = db.session.get(Dataset, self.dataset_id)
            noted = annotations.add(dataset, datetime(2026, 3, 1), "Launch", self.user_ids["olive"])
            return {"annotation_id": noted.id}

    def new_file(self) -> dict[str, Any]:
        """A file added to the dataset (its texts taken out leave the upload's)."""
        with self.app.app_context():
            dataset = db.session.get(Dataset, self.dataset_id)
            count = db.session.scalar(select(func.count(TextRow.id)))
            content = BytesIO(f"text\nA file of one text, number {count}\n".encode())
            added = added_files.add_file(dataset, content, "more.csv")
            return {"file_id": added.file.file.id}

    def new_subscription(self) -> dict[str, Any]:
        """A subscription stored as a read leaves one (no feed is read)."""
        with self.app.app_context():
            count = db.session.scalar(select(func.count(Subscription.id)))
            url = f"https://feeds.example.com/{count}.rss"
            subscription = Subscription(dataset_id=self.dataset_id, url=url, added=0)
            db.session.add(subscription)
            db.session.commit()
            return {"subscription_id": subscription.id}

    def new_model(self) -> dict[str, Any]:
        with self.app.app_context():
            model = training.create_model(
                self.team_id, "Throwaway", b"text,label\n", training.TrainingColumns("t", "l")
            )
            return {"model_id": model.id}


# Endpoints that destroy what their URL names at once: each request gets its own.
FRESH: dict[str, Callable[[World], dict[str, Any]]] = {
    "api.delete_dataset": World.new_dataset,
    "api.delete_model": World.new_model,
    "api.delete_alert_rule": World.new_rule,
    "alerts.delete_rule": World.new_rule,
    "alerts.switch_rule": World.new_rule,
    "api.switch_alert_rule": World.new_rule,
    "api.remove_member": World.new_member,
    "teams.remove": World.new_member,
    "api.revoke_invitation": World.new_invitation,
    "teams.revoke_invitation": World.new_invitation,
    "api.remove_correction": World.new_correction,
    "datasets.remove_correction": World.new_correction,
    "api.delete_saved_view": World.new_view,
    "datasets.delete_view": World.new_view,
    "api.delete_annotation": World.new_annotation,
    "datasets.delete_annotation": World.new_annotation,
    "api.remove_file": World.new_file,
    "datasets.remove_file": World.new_file,
    "api.unsubscribe": World.new_subscription,
    "datasets.unsubscribe": World.new_subscription,
    "api.mask_dataset": World.new_dataset,  # masked once and for all
    "datasets.mask": World.new_dataset,
}


def _world(app: Flask) -> World:
    with app.app_context():
        owner = registration.register("olive", PASSWORD)
        team = teams.create_team(owner, "Research", SETUP)
        user_ids = {"olive": owner.id}
        for name in ("viewer", "analyst", "admin", "stranger"):
            user_ids[name] = registration.register(name, PASSWORD).id
        for name, role in CALLERS.items():
            join_team(team.id, name, role.label)
        content = BytesIO(b"text\nI love the new tram\nThe tram is late again\n")
        upload = Upload(name=SHARED_NAME, source="upload", keywords=["tram"])
        dataset = intake.import_and_analyse(team.id, upload, content, "texts.csv")
        columns = training.TrainingColumns("t", "l")
        model = training.create_model(team.id, "Team model", b"text,label\n", columns)
        stranger_team = teams.personal_seat(user_ids["stranger"]).team_id
        own = Upload(name="Stranger's texts", source="upload")
        intake.import_and_analyse(stranger_team, own, BytesIO(b"text\nhello\n"), "own.csv")
        return World(app, team.id, dataset.id, model.id, user_ids)


class Caller:
    """One user: signed in on the web (working in the world's team when a member) and holding
    a write token (the viewer's was made while they were an analyst: a token follows its
    user's role in the team now)."""

    def __init__(self, app: Flask, world: World, name: str) -> None:
        self.web: FlaskClient = app.test_client()
        self.api: FlaskClient = app.test_client()
        self.team_query = {"team": world.team_id}
        AuthActions(self.web).login(name)
        with app.app_context():
            user = registration.find_user(name)
            member = name in CALLERS
            if name == "viewer":
                join_team(world.team_id, name, "analyst")
            team_id = world.team_id if member else None
            self.token = tokens.create_token(user, "access", team_id=team_id).secret
            if name == "viewer":
                join_team(world.team_id, name, "viewer")
        self.csrf = csrf_token(self.web, "/account/tokens")

    def request(self, rule: Rule, method: str, values: dict[str, Any]) -> TestResponse:
        path = rule.build(values, append_unknown=False)[1]
        if rule.endpoint.startswith("api."):
            headers = {"Authorization": f"Bearer {self.token}"}
            return self.api.open(path, method=method, headers=headers)
        data = {"csrf_token": self.csrf} if method != "GET" else None
        return self.web.open(path, method=method, query_string=self.team_query, data=data)


def _team_endpoints(app: Flask) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in sorted(
            app.url_map.iter_rules(), key=lambda rule: (rule.endpoint in LAST, rule.endpoint)
        )
        if isinstance(ACCESS.get(rule.endpoint), Role)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


@pytest.mark.parametrize("name", [*CALLERS, "stranger"])
def test_every_team_endpoint_answers_each_role(app, name):
    world = _world(app)
    caller = Caller(app, world, name)
    # members work in the world's team (chosen by ?team=), the stranger in their own
    home = caller.web.get("/dashboard", query_string=caller.team_query).get_data(as_text=True)
    assert (SHARED_NAME in home) == (name in CALLERS)
    wrong = []
    for rule, method in _team_endpoints(app):
        values = world.values()
        if rule.endpoint in FRESH:
            values.update(FRESH[rule.endpoint](world))
        response = caller.request(rule, method, values)
        status = response.status_code
        needed = ACCESS[rule.endpoint]
        if name == "stranger":
            if rule.arguments & TEAM_ARGUMENTS:
                ok = status == 404
            else:  # works in the stranger's own team, and shows nothing of the world's
                ok = status not in (403, 404) and SHARED_NAME not in response.get_data(True)
        elif CALLERS[name] >= needed:
            ok = status not in (403, 404)
        else:
            ok = status == 403
        if not ok or status >= 500:
            wrong.append(f"{method} {rule.rule} ({rule.endpoint}): {status}")
    assert not wrong, f"as {name}:\n" + "\n".join(wrong)
