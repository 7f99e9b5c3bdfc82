"""Invitations emailed through a local SMTP server when mail is set up, and the SMTP settings."""

import re

import pytest
from sqlalchemy import func, select

from emolytics import mail
from emolytics.extensions import db
from emolytics.tables import Invitation
from tests.conftest import AuthActions
from tests.mailbox import Inbox, free_port
from tests.web.invitation_steps import accept, invite
from tests.web.teams_world import World, build_world

NEW_LINK = re.compile(r'<code id="new-invitation"[^>]*>([^<]+)</code>')


@pytest.fixture
def mailing_world(app_factory, app, smtp) -> tuple[World, Inbox]:
    url, inbox = smtp
    mailing = app_factory(SMTP_URL=url, MAIL_FROM="teams@emolytics.test")
    return build_world(mailing), inbox


def test_the_link_is_emailed_when_mail_is_set_up(mailing_world):
    world, inbox = mailing_world
    created = invite(world, email="eve@example.org")
    assert created["emailed"] is True and created["email"] == "eve@example.org"
    [message] = inbox.messages
    assert message["To"] == "eve@example.org"
    assert message["From"] == "teams@emolytics.test"
    assert message["Subject"] == "You are invited to Care on Emolytics"
    body = message.get_payload(decode=True).decode()
    assert created["url"] in body and "as analyst" in body
    assert invite(world)["emailed"] is False  # no address, nothing sent
    assert len(inbox.messages) == 1


def test_a_failed_send_keeps_the_invitation(app_factory, app, auth):
    failing = app_factory(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody listens
    world = build_world(failing)
    created = invite(world, email="eve@example.org")
    assert created["emailed"] is False
    assert accept(world, "eve", created["code"]).status_code == 200

    client = failing.test_client()
    page_auth = AuthActions(client)
    page_auth.login("bob")
    form = {"role": "viewer", "expires_days": "7", "email": "fay@example.org"}
    token_page = f"/teams/{world.team_id}"
    response = page_auth.post(f"/teams/{world.team_id}/invitations", form, token_from=token_page)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "sending it to fay@example.org failed" in page
    assert NEW_LINK.search(page)
    with failing.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2


def test_the_page_emails_the_link(mailing_world):
    world, inbox = mailing_world
    client = world.app.test_client()
    page_auth = AuthActions(client)
    page_auth.login("bob")
    form = {"role": "analyst", "expires_days": "7", "email": "eve@example.org"}
    response = page_auth.post(
        f"/teams/{world.team_id}/invitations", form, token_from=f"/teams/{world.team_id}"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "emailed to eve@example.org" in page
    link = NEW_LINK.search(page).group(1)
    assert link in inbox.messages[0].get_payload(decode=True).decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, False, False, None, None)),
        (
            "smtp://ada%40example.org:p%3Ass@mail.example.org:587?starttls=1",
            ("mail.example.org", 587, False, True, "ada@example.org", "p:ss"),
        ),
        ("smtps://mail.example.org", ("mail.example.org", 465, True, False, None, None)),
    ],
)
def test_smtp_urls(url, expected):
    found = mail.server(url)
    assert (
        found.host,
        found.port,
        found.tls,
        found.starttls,
        found.username,
        found.password,
    ) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org"])
def test_smtp_urls_that_are_not(url):
    with pytest.raises(ValueError, match="SMTP_URL looks like"):
        mail.server(url)


def test_smtp_settings_come_from_the_environment(app_factory, monkeypatch):
    monkeypatch.setenv("EMOLYTICS_SMTP_URL", "smtps://mail.example.org")
    monkeypatch.setenv("EMOLYTICS_MAIL_FROM", "care@example.org")
    configured = app_factory()
    assert configured.config["SMTP_URL"] == "smtps://mail.example.org"
    assert configured.config["MAIL_FROM"] == "care@example.org"
