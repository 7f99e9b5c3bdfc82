"""An account in the browser: registering through the page, and what the page then shows."""

import uuid

from playwright.sync_api import Page, expect

PASSWORD = "violet-harbour-1987"


def unique_username(prefix: str) -> str:
    """A name no other test registers on the shared live server."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_dashboard(page: Page, server_url: str, username: str) -> None:
    expect(page).to_have_url(f"{server_url}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {username}")
    expect_signed_in(page, username)


def expect_signed_in(page: Page, username: str) -> None:
    """The layout's account menu names the user."""
    expect(page.locator("[data-role=user-menu] summary")).to_have_text(username)


def sign_out(page: Page) -> None:
    """Sign out through the layout's account menu."""
    page.locator("[data-role=user-menu] summary").click()
    page.get_by_role("button", name="Sign out", exact=True).click()


def register(page: Page, server_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password", exact=True).fill(password)
    page.get_by_role("button", name="Register").click()
    expect_dashboard(page, server_url, username)
    flash(page, f"Welcome to Emolytics, {username}.")
