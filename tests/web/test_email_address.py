"""The account's email address: set, confirmed by the link emailed to it (through a local SMTP
server), changed (unconfirmed again), removed; refused without mail or a fresh sign-in."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from emolytics.accounts import email_addresses, registration
from emolytics.extensions import db
from emolytics.tables import AuditEvent, User
from tests.conftest import PASSWORD, AuthActions

LINK = re.compile(r"http://localhost(/account/email/confirm/\S+)")


def address_of(app, username: str = "ada") -> tuple[str | None, bool]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return user.email, user.email_confirmed_at is not None


@pytest.fixture
def mailing(app_factory, app, smtp):
    url, inbox = smtp
    mailing = app_factory(SMTP_URL=url)
    client = mailing.test_client()
    AuthActions(client).login()
    return mailing, client, inbox


def link_in(message) -> str:
    return LINK.search(message.get_content()).group(1)


def test_an_address_is_confirmed_by_the_link_sent_to_it(mailing):
    app, client, inbox = mailing
    auth = AuthActions(client)
    response = auth.post("/account/email", {"email": " ada@example.org "})
    assert response.status_code == 302
    assert address_of(app) == ("ada@example.org", False)
    [message] = inbox.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Confirm your email address on Emolytics"
    page = client.get("/account/email").get_data(as_text=True)
    assert "not confirmed yet" in page

    response = client.get(link_in(message))
    assert response.status_code == 302
    assert address_of(app) == ("ada@example.org", True)
    page = client.get("/account/email").get_data(as_text=True)
    assert "confirmed on" in page
    assert "ada@example.org (confirmed)" in client.get("/account").get_data(as_text=True)
    assert client.get(link_in(message)).status_code == 302  # twice: still confirmed
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["account.email_changed", "account.email_confirmed"] + [
        "account.email_confirmed"
    ]


def test_changing_the_address_unconfirms_it_and_old_links_confirm_nothing(mailing):
    app, client, inbox = mailing
    auth = AuthActions(client)
    auth.post("/account/email", {"email": "ada@example.org"})
    first = link_in(inbox.messages[0])
    client.get(first)
    auth.post("/account/email", {"email": "ada@work.example.org"})
    assert address_of(app) == ("ada@work.example.org", False)

    response = client.get(first)
    assert response.status_code == 400
    assert "an address your account does not have now" in response.get_data(as_text=True)
    assert address_of(app) == ("ada@work.example.org", False)
    assert client.get(link_in(inbox.messages[1])).status_code == 302
    assert address_of(app) == ("ada@work.example.org", True)


def test_a_link_works_for_its_own_account_only_and_not_forever(mailing, monkeypatch):
    app, client, inbox = mailing
    AuthActions(client).post("/account/email", {"email": "ada@example.org"})
    link = link_in(inbox.messages[0])
    with app.app_context():
        registration.register("bob", PASSWORD)
    other = app.test_client()
    AuthActions(other).login("bob")
    assert other.get(link).status_code == 400
    assert client.get(link[:-3] + "abc").status_code == 400  # tampered with

    monkeypatch.setattr(email_addresses, "CONFIRM_MAX_AGE", timedelta(-1))
    response = client.get(link)
    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)
    assert address_of(app) == ("ada@example.org", False)


def test_removing_the_address(mailing):
    app, client, inbox = mailing
    auth = AuthActions(client)
    auth.post("/account/email", {"email": "ada@example.org"})
    client.get(link_in(inbox.messages[0]))
    response = auth.post("/account/email/remove", {}, token_from="/account/email")
    assert response.status_code == 302
    assert address_of(app) == (None, False)


@pytest.mark.parametrize(
    ("address", "message"),
    [("not an address", "does not look right"), ("", "This field is required")],
)
def test_bad_addresses_are_refused(mailing, address, message):
    app, client, inbox = mailing
    response = AuthActions(client).post("/account/email", {"email": address})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert address_of(app) == (None, False)
    assert inbox.messages == []


def test_without_mail_the_page_says_so_and_sets_nothing(app, client, auth):
    auth.login()
    page = client.get("/account/email").get_data(as_text=True)
    assert "Email is not configured on this server" in page
    # the page has no form: a token from the account page
    response = auth.post("/account/email", {"email": "ada@example.org"}, token_from="/account")
    assert response.status_code == 409
    assert address_of(app) == (None, False)


def test_changing_the_address_needs_a_fresh_sign_in(mailing):
    app, client, inbox = mailing
    auth = AuthActions(client)
    with client.session_transaction() as session:
        session["_fresh"] = False
    response = auth.post("/account/email", {"email": "ada@example.org"})
    assert response.status_code == 302 and "/reauthenticate" in response.location
    assert address_of(app) == (None, False)
    assert inbox.messages == []


def test_the_link_is_sent_again_until_confirmed(mailing):
    app, client, inbox = mailing
    auth = AuthActions(client)
    auth.post("/account/email", {"email": "ada@example.org"})
    response = auth.post("/account/email/resend", {}, token_from="/account/email")
    assert response.status_code == 302 and len(inbox.messages) == 2
    client.get(link_in(inbox.messages[1]))
    assert address_of(app) == ("ada@example.org", True)
    auth.post("/account/email/resend", {}, token_from="/account/email")
    assert len(inbox.messages) == 2  # confirmed: nothing more to send
