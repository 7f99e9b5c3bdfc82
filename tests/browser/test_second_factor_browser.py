"""A second factor in a real browser: an authenticator app with a known secret and a stopped
clock, and passkeys made by Chromium's virtual authenticator (through a CDP session).

WebAuthn needs a secure context and a domain for its relying party: the passkey tests open the
live server as http://localhost:PORT (it binds 127.0.0.1), and the server takes `localhost`,
the request's host, as the relying party id.
"""

from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.account_steps import (
    PASSWORD,
    expect_signed_in,
    register,
    sign_out,
    unique_username,
)
from tests.browser.conftest import TotpClock

NewContext = Callable[..., BrowserContext]


def signed_out(page: Page) -> None:
    sign_out(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def fill_password(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def expect_dashboard(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {username}")
    expect_signed_in(page, username)


@pytest.mark.browser
def test_sign_in_with_an_authenticator_app(
    new_context: NewContext, server_url: str, totp_clock: TotpClock
) -> None:
    username = unique_username("totp")
    page = new_context().new_page()
    register(page, server_url, username)
    page.goto("/account/second-factor")
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code of your authenticator secret")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(app.at(totp_clock.now))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("Signing in asks for a code from your authenticator")).to_be_visible()
    signed_out(page)

    fill_password(page, username)
    expect(page).to_have_url(f"{server_url}/login/second-factor")
    expect(page.locator("[data-role=user-menu]")).to_have_count(0)
    code_field = page.get_by_label("Authentication code or recovery code")
    code_field.fill(app.at(totp_clock.now))  # the code that turned it on: a replay
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right, or it was already used.")).to_be_visible()
    totp_clock.advance(30)
    page.get_by_label("Authentication code or recovery code").fill(app.at(totp_clock.now))
    page.get_by_role("button", name="Continue").click()
    expect_dashboard(page, username)

    signed_out(page)
    fill_password(page, username)
    page.get_by_label("Authentication code or recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect_dashboard(page, username)
    expect(page.get_by_text("You used a recovery code")).to_be_visible()


def virtual_authenticator(context: BrowserContext, page: Page) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


@pytest.mark.browser
def test_passkeys_sign_in_without_a_password_and_as_a_second_factor(
    new_context: NewContext, server_url: str
) -> None:
    localhost = server_url.replace("127.0.0.1", "localhost")
    context = new_context(base_url=localhost)
    page = context.new_page()
    virtual_authenticator(context, page)
    username = unique_username("passkey")
    register(page, localhost, username)

    page.goto("/account/second-factor")
    page.get_by_label("Name of the new passkey").fill("Virtual key")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("textbox", name="Name of passkey Virtual key")).to_be_visible()
    expect(page.get_by_role("cell", name="never")).to_be_visible()
    signed_out(page)

    page.get_by_role("button", name="Sign in with a passkey").click()
    expect_dashboard(page, username)
    page.goto("/account/second-factor")
    expect(page.get_by_role("cell", name="never")).to_have_count(0)  # used just now
    signed_out(page)

    fill_password(page, username)
    expect(page).to_have_url(f"{localhost}/login/second-factor")
    page.get_by_role("button", name="Use a passkey").click()
    expect_dashboard(page, username)
