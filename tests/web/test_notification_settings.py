"""A member's notification settings in a team (/teams/<id>/notifications): alert emails and
digests, for any role, of what the team holds; other teams' and members' ids are not found."""

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.tables import DigestSubscription, Membership, utcnow
from tests.conftest import AuthActions, team_of
from tests.web.teams_world import World, build_world


@pytest.fixture
def world(app) -> World:
    world = build_world(app)
    with app.app_context():
        world.ids["care_dataset"] = datasets.create_feed(world.team_id, "Care feed").id
        world.ids["eve_dataset"] = datasets.create_feed(team_of("eve"), "Eve's own").id
    return world


def signed_in(world: World, username: str) -> tuple[FlaskClient, AuthActions]:
    client = world.app.test_client()
    auth = AuthActions(client)
    auth.login(username)
    return client, auth


def digests_of(world: World, username: str) -> list[tuple]:
    with world.app.app_context():
        rows = db.session.execute(
            select(
                DigestSubscription.team_id,
                DigestSubscription.dataset_id,
                DigestSubscription.period,
            )
            .where(DigestSubscription.user_id == world.ids[username])
            .order_by(DigestSubscription.id)
        )
        return [tuple(row) for row in rows]


def test_a_viewer_asks_for_digests_of_the_team_and_of_a_dataset(world):
    client, auth = signed_in(world, "dan")
    page = f"/teams/{world.team_id}/notifications"
    add = f"{page}/digests"
    dataset_id = world.ids["care_dataset"]
    assert auth.post(add, {"period": "daily", "dataset_id": "0"}, page).status_code == 302
    assert auth.post(add, {"period": "weekly", "dataset_id": dataset_id}, page).status_code == 302

    assert digests_of(world, "dan") == [
        (world.team_id, None, "daily"),
        (world.team_id, dataset_id, "weekly"),
    ]
    shown = client.get(page).get_data(as_text=True)
    assert "the whole team" in shown and "Care feed" in shown
    again = auth.post(add, {"period": "daily", "dataset_id": "0"}, page)
    assert again.status_code == 400
    assert "You have that digest already." in again.get_data(as_text=True)
    bad = auth.post(add, {"period": "hourly", "dataset_id": "0"}, page)
    assert bad.status_code == 400
    assert len(digests_of(world, "dan")) == 2


def test_a_digest_stops_for_its_member_only(world):
    _, dan = signed_in(world, "dan")
    _, cleo = signed_in(world, "cleo")
    page = f"/teams/{world.team_id}/notifications"
    dan.post(f"{page}/digests", {"period": "daily", "dataset_id": "0"}, page)
    with world.app.app_context():
        digest_id = db.session.scalar(select(DigestSubscription.id))

    remove = f"{page}/digests/remove"
    assert cleo.post(remove, {"digest_id": str(digest_id)}, page).status_code == 404
    assert len(digests_of(world, "dan")) == 1
    assert dan.post(remove, {"digest_id": str(digest_id)}, page).status_code == 302
    assert digests_of(world, "dan") == []
    assert dan.post(remove, {"digest_id": ""}, page).status_code == 400


def test_alert_emails_are_a_members_own_choice(world):
    client, auth = signed_in(world, "cleo")
    page = f"/teams/{world.team_id}/notifications"
    assert "Email is not configured on this server" in client.get(page).get_data(as_text=True)

    def alert_email(username: str) -> bool:
        with world.app.app_context():
            return db.session.get(Membership, (world.team_id, world.ids[username])).alert_email

    assert auth.post(f"{page}/alerts", {"alert_email": "y"}, page).status_code == 302
    assert alert_email("cleo") and not alert_email("dan")
    assert auth.post(f"{page}/alerts", {}, page).status_code == 302
    assert not alert_email("cleo")


def test_another_teams_ids_are_not_found(world):
    client, auth = signed_in(world, "eve")
    care = f"/teams/{world.team_id}/notifications"
    assert client.get(care).status_code == 404
    own = f"/teams/{team_of_eve(world)}/notifications"
    dataset = world.ids["care_dataset"]
    response = auth.post(f"{own}/digests", {"period": "daily", "dataset_id": dataset}, own)
    assert response.status_code == 404  # Care's dataset, asked for in eve's own team
    assert digests_of(world, "eve") == []

    _, dan = signed_in(world, "dan")
    page = f"/teams/{world.team_id}/notifications"
    form = {"period": "daily", "dataset_id": world.ids["eve_dataset"]}
    assert dan.post(f"{page}/digests", form, page).status_code == 404
    assert digests_of(world, "dan") == []


def team_of_eve(world: World) -> int:
    with world.app.app_context():
        return team_of("eve")


def test_a_new_digest_starts_with_the_next_whole_period(world):
    _, dan = signed_in(world, "dan")
    page = f"/teams/{world.team_id}/notifications"
    for period in ("daily", "weekly"):
        dan.post(f"{page}/digests", {"period": period, "dataset_id": "0"}, page)
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    with world.app.app_context():
        sent = dict(
            db.session.execute(
                select(DigestSubscription.period, DigestSubscription.sent_through)
            ).all()
        )
    assert sent["daily"] == today - timedelta(days=1)  # yesterday counts as sent
    assert sent["weekly"] == today - timedelta(days=today.weekday() + 7)  # so does last week
