"""Users of the product flow tests: a unique name registered on the live server, a desktop view."""

import uuid
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture

PASSWORD = "harbour-lantern-5521"
DESKTOP = {"width": 1280, "height": 900}


def unique_username(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def register(page: Page, server_url: str, username: str) -> None:
    page.goto("/register")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(f"{server_url}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {username}")
