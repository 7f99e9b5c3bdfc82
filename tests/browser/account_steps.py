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
    expect(page.get_by_role("button", name=f"Sign out ({username})")).to_be_visible()


def register(page: Page, server_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password", exact=True).fill(password)
    page.get_by_role("button", name="Register").click()
    expect_dashboard(page, server_url, username)
    flash(page, f"Welcome to Emolytics, {username}.")
