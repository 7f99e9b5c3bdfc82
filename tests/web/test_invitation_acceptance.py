"""Invitations made by admins: single use, hashed, expiring, revocable; accepted by code or page."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from emolytics.accounts import invitations
from emolytics.extensions import db
from emolytics.tables import Invitation, Role, User, utcnow
from tests.conftest import PASSWORD, AuthActions, csrf_token
from tests.web.invitation_steps import accept, invite
from tests.web.teams_world import World, build_world


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def test_invitation_by_api_is_accepted_once_by_token(world):
    created = invite(world, expires_days=3)
    assert created["role"] == "analyst" and created["emailed"] is False
    assert created["url"] == f"http://localhost/invitations/{created['code']}"
    expires = created["expires_at"]
    assert str((utcnow() + timedelta(days=3)).date()) == expires[:10]
    with world.app.app_context():
        stored = db.session.get(Invitation, created["id"])
        assert stored.code_hash == hashlib.sha256(created["code"].encode()).hexdigest()
        assert stored.created_by_id == world.ids["bob"]
    listed = world.call("bob", "GET", f"/api/v1/teams/{world.team_id}/invitations").json
    assert [each["id"] for each in listed["invitations"]] == [created["id"]]
    assert "code" not in listed["invitations"][0]  # never recoverable

    response = accept(world, "eve", created["code"])
    assert response.status_code == 200
    assert response.json == {
        "team_id": world.team_id,
        "team_name": "Care",
        "user_id": world.ids["eve"],
        "role": "analyst",
    }
    assert world.role_of("eve") == Role.ANALYST
    with world.app.app_context():
        stored = db.session.get(Invitation, created["id"])
        assert stored.accepted_by_id == world.ids["eve"] and stored.accepted_at is not None
    again = accept(world, "eve", created["code"])
    assert again.status_code == 410 and "used already" in again.json["error"]["message"]
    assert world.call("bob", "GET", f"/api/v1/teams/{world.team_id}/invitations").json == {
        "invitations": []
    }


def test_the_code_is_not_stored(world):
    created = invite(world)
    with world.app.app_context():
        columns = db.session.execute(select(Invitation)).scalar_one()
        stored = " ".join(str(value) for value in vars(columns).values())
    assert created["code"] not in stored


def test_a_member_already_in_the_team_keeps_the_invitation_unused(world):
    created = invite(world)
    response = accept(world, "dan", created["code"])
    assert response.status_code == 409
    assert response.json["error"]["message"] == (
        "You are already a member of this team, as viewer."
    )
    assert world.role_of("dan") == Role.VIEWER
    assert accept(world, "eve", created["code"]).status_code == 200


def test_an_expired_invitation_is_gone(world, monkeypatch):
    created = invite(world, expires_days=1)
    later = utcnow() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(invitations, "utcnow", lambda: later)
    response = accept(world, "eve", created["code"])
    assert response.status_code == 410
    assert response.json["error"]["message"].startswith("This invitation has expired")
    assert world.role_of("eve") is None


def test_a_revoked_invitation_is_gone(world):
    created = invite(world)
    url = f"/api/v1/teams/{world.team_id}/invitations/{created['id']}"
    assert world.call("cleo", "DELETE", url).status_code == 403  # analysts cannot
    assert world.call("bob", "DELETE", url).status_code == 204
    assert world.call("bob", "DELETE", url).status_code == 404  # pending ones only
    response = accept(world, "eve", created["code"])
    assert response.status_code == 410 and "revoked" in response.json["error"]["message"]


def test_an_unknown_code_is_not_found(world):
    response = accept(world, "eve", "no-such-code")
    assert response.status_code == 404
    assert world.app.test_client().get("/invitations/no-such-code").status_code == 404


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("bob", {"role": "owner"}, 403, "forbidden"),  # admins invite below owner
        ("cleo", {"role": "viewer"}, 403, "forbidden"),
        ("dan", {"role": "viewer"}, 403, "forbidden"),
        ("eve", {"role": "viewer"}, 404, "not_found"),
        ("bob", {"role": "king"}, 400, "invalid_role"),
        ("bob", {"role": "viewer", "expires_days": 0}, 400, "invalid_expires_days"),
        ("bob", {"role": "viewer", "expires_days": 91}, 400, "invalid_expires_days"),
        ("bob", {"role": "viewer", "email": "not an address"}, 400, "invalid_setting"),
        ("bob", {"role": "viewer", "colour": "red"}, 400, "unknown_field"),
    ],
)
def test_invitations_that_are_refused(world, who, body, status, code):
    url = f"/api/v1/teams/{world.team_id}/invitations"
    response = world.call(who, "POST", url, json=body)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_an_owner_invites_an_owner(world):
    created = invite(world, "ada", role="owner")
    assert accept(world, "eve", created["code"]).status_code == 200
    assert world.role_of("eve") == Role.OWNER


# --- the invitation's page ---------------------------------------------------------------------


def test_invitee_signs_in_through_the_page_and_accepts(world, client, auth):
    created = invite(world, role="viewer")
    path = f"/invitations/{created['code']}"
    page = client.get(path).get_data(as_text=True)
    assert "Join Care" in page and 'id="invited-role">viewer' in page
    assert f'href="/login?next={path}"' in page
    response = client.post(path, data={"csrf_token": "x"})
    assert response.status_code == 400  # CSRF before anything
    response = auth.login("eve", next_url=path)
    assert response.location == path
    response = auth.post(path, {})
    assert response.location == "/dashboard"
    assert world.role_of("eve") == Role.VIEWER
    nav = client.get("/dashboard").get_data(as_text=True)
    assert 'Care <span class="role">(viewer)</span>' in nav  # working in the team now
    assert client.get(path).status_code == 410


def test_accepting_on_the_page_needs_a_sign_in(world, client):
    created = invite(world)
    path = f"/invitations/{created['code']}"
    response = client.post(path, data={"csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert world.role_of("eve") is None


@pytest.fixture
def closed(app_factory, app) -> World:
    return build_world(app_factory(REGISTRATION_OPEN=False))


def register_through(client, code: str, username: str = "fay"):
    auth = AuthActions(client)
    url = f"/register?invitation={code}"
    form = {"username": username, "password": PASSWORD, "confirm": PASSWORD}
    return auth.post(url, form, token_from=url)


def test_an_invitation_opens_closed_registration_once(closed):
    created = invite(closed, allow_registration=True)
    client = closed.app.test_client()
    assert client.get("/register").status_code == 403  # closed to everyone else
    page = client.get(f"/invitations/{created['code']}").get_data(as_text=True)
    assert f'href="/register?invitation={created["code"]}"' in page
    response = register_through(client, created["code"])
    assert response.status_code == 302 and response.location == "/dashboard"
    with closed.app.app_context():
        fay = db.session.scalar(select(User).where(User.username == "fay"))
        closed.ids["fay"] = fay.id
    assert closed.role_of("fay") == Role.ANALYST
    assert "You joined Care as analyst" in client.get("/dashboard").get_data(as_text=True)

    other = closed.app.test_client()  # the link is used up: no second account
    assert other.get(f"/register?invitation={created['code']}").status_code == 403
    with closed.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 6


def test_an_invitation_without_registration_keeps_it_closed(closed):
    created = invite(closed)
    client = closed.app.test_client()
    page = client.get(f"/invitations/{created['code']}").get_data(as_text=True)
    assert "/register" not in page.split("<main>")[1]
    assert client.get(f"/register?invitation={created['code']}").status_code == 403


def test_registering_through_an_invitation_while_registration_is_open(world, client):
    created = invite(world)  # no allow_registration needed while registration is open
    response = register_through(client, created["code"], "gil")
    assert response.status_code == 302
    with world.app.app_context():
        world.ids["gil"] = db.session.scalar(select(User.id).where(User.username == "gil"))
    assert world.role_of("gil") == Role.ANALYST
    response = register_through(world.app.test_client(), created["code"], "hal")
    assert response.status_code == 410  # used
    with world.app.app_context():
        assert db.session.scalar(select(User).where(User.username == "hal")) is None
