"""Accounts in a real browser: register, sign in and out, password changes, remember-me.

Every test drives Debian's Chromium against a live `emolytics run` server and asserts what a
person sees: the address bar, headings, flash messages and buttons.
"""

import struct
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.account_steps import PASSWORD, expect_dashboard, flash, register, sign_out

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture

NEW_PASSWORD = "copper kettle sings 42"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_SCREENSHOT_BYTES = 5_000  # a blank page is ~1-3 KB; a rendered form is well above this


def unique_username(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, from its IHDR chunk; fails on anything else."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert header[12:16] == b"IHDR", f"{path} has no IHDR chunk first"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def assert_screenshot(path: Path, *, width: int) -> None:
    assert path.is_file(), f"no screenshot at {path}"
    assert path.stat().st_size >= MIN_SCREENSHOT_BYTES, f"{path} is suspiciously small"
    shot_width, shot_height = png_size(path)
    assert shot_width == width
    assert shot_height >= 200


def expect_login_page(page: Page, server_url: str, *, next_path: str | None) -> None:
    url = f"{server_url}/login"
    if next_path is not None:
        url += "?next=" + next_path.replace("/", "%2F")
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("[data-role=user-menu]")).to_have_count(0)


def fill_sign_in(page: Page, username: str, password: str, *, remember: bool = False) -> None:
    """Fill and submit the sign-in form of the page already open."""
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    if remember:
        page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_in(
    page: Page, server_url: str, username: str, password: str, *, remember: bool = False
) -> None:
    page.goto("/login")
    expect_login_page(page, server_url, next_path=None)
    fill_sign_in(page, username, password, remember=remember)
    expect_dashboard(page, server_url, username)
    flash(page, f"Welcome back, {username}.")


def cookie_names(context: BrowserContext) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


@pytest.mark.browser
def test_register_sign_out_and_back_in_through_the_login_page(
    new_context: NewContext, server_url: str, artifacts_dir: Path
) -> None:
    username = unique_username("journey")
    context = new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()

    register(page, server_url, username, PASSWORD)

    sign_out(page)
    expect_login_page(page, server_url, next_path=None)
    flash(page, "You are signed out.")

    page.goto("/dashboard")
    expect_login_page(page, server_url, next_path="/dashboard")
    flash(page, "Please sign in to see that page.")
    login_shot = artifacts_dir / "login.png"
    page.screenshot(path=str(login_shot), full_page=True)

    fill_sign_in(page, username, PASSWORD)
    expect_dashboard(page, server_url, username)
    flash(page, f"Welcome back, {username}.")
    dashboard_shot = artifacts_dir / "dashboard.png"
    page.screenshot(path=str(dashboard_shot), full_page=True)

    assert_screenshot(login_shot, width=1280)
    assert_screenshot(dashboard_shot, width=1280)


@pytest.mark.browser
def test_password_change_signs_out_the_other_session(
    new_context: NewContext, server_url: str
) -> None:
    username = unique_username("rotate")
    page_a = new_context().new_page()
    page_b = new_context().new_page()
    register(page_a, server_url, username, PASSWORD)
    sign_in(page_b, server_url, username, PASSWORD)

    page_a.goto("/account/activity")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Activity")
    expect(page_a.get_by_text("this session", exact=True)).to_have_count(1)
    expect(page_a.get_by_role("link", name="Sign out everywhere else…")).to_be_visible()

    page_a.goto("/account")
    expect(page_a.get_by_role("heading", name="Change password")).to_be_visible()
    page_a.get_by_label("Current password", exact=True).fill(PASSWORD)
    page_a.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page_a.get_by_label("Repeat new password", exact=True).fill(NEW_PASSWORD)
    page_a.get_by_role("button", name="Change password").click()
    expect(page_a).to_have_url(f"{server_url}/account")
    flash(page_a, "Password changed. Every other session has been signed out.")

    # The other browser is signed out the next time it asks for anything.
    page_b.reload()
    expect_login_page(page_b, server_url, next_path="/dashboard")
    flash(page_b, "Please sign in to see that page.")

    # This browser carries on, and is now the only session.
    page_a.goto("/dashboard")
    expect_dashboard(page_a, server_url, username)
    page_a.goto("/account/activity")
    expect(page_a.get_by_text("this session", exact=True)).to_have_count(1)
    expect(page_a.get_by_role("link", name="Sign out everywhere else…")).to_have_count(0)

    # The old password no longer works; the new one does.
    fill_sign_in(page_b, username, PASSWORD)
    flash(page_b, "Invalid username or password.")
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Sign in")
    fill_sign_in(page_b, username, NEW_PASSWORD)
    expect_dashboard(page_b, server_url, username)


@pytest.mark.browser
def test_remember_me_survives_losing_the_session_cookie(
    new_context: NewContext, server_url: str
) -> None:
    username = unique_username("remember")
    register(new_context().new_page(), server_url, username, PASSWORD)

    remembered = new_context()
    page = remembered.new_page()
    sign_in(page, server_url, username, PASSWORD, remember=True)
    assert {"session", "remember_token"} <= cookie_names(remembered)

    # As after a browser restart: the session cookie is gone, the remember cookie is not.
    remembered.clear_cookies(name="session")
    assert "session" not in cookie_names(remembered)
    page.reload()
    expect_dashboard(page, server_url, username)
    assert "session" in cookie_names(remembered)

    # A remembered sign-in is not fresh: the account page asks for the password first.
    page.goto("/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{server_url}/account")
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()

    # Without the box ticked there is no remember cookie, and losing the session signs out.
    forgotten = new_context()
    other_page = forgotten.new_page()
    sign_in(other_page, server_url, username, PASSWORD)
    assert "remember_token" not in cookie_names(forgotten)
    forgotten.clear_cookies(name="session")
    other_page.reload()
    expect_login_page(other_page, server_url, next_path="/dashboard")


@pytest.mark.browser
def test_login_page_fits_a_phone(
    new_context: NewContext, server_url: str, artifacts_dir: Path
) -> None:
    width, height = 375, 667
    context = new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto("/login")
    expect_login_page(page, server_url, next_path=None)

    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == width
    assert scroll_width <= inner_width, "the login page scrolls sideways on a phone"
    for control in (
        page.get_by_label("Username", exact=True),
        page.get_by_label("Password", exact=True),
        page.get_by_role("button", name="Sign in", exact=True),
    ):
        expect(control).to_be_in_viewport()
        box = control.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width

    shot = artifacts_dir / "login-mobile.png"
    page.screenshot(path=str(shot), full_page=True)
    assert_screenshot(shot, width=width * 2)
