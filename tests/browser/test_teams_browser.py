"""A team in a real browser: its owner creates it and invites a colleague, who registers,
follows the link, accepts, and works in the team (the layout says which, and as what)."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.account_steps import PASSWORD, flash, register

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture


@pytest.mark.browser
def test_inviting_a_colleague_who_accepts(new_context: NewContext, server_url: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    owner = new_context(java_script_enabled=False).new_page()
    register(owner, server_url, f"owner-{suffix}", PASSWORD)
    team = f"Care {suffix}"
    owner.goto("/teams")
    owner.get_by_label("Team name").fill(team)
    owner.get_by_role("button", name="Create team").click()
    expect(owner).to_have_url(re.compile(r"/teams/\d+$"))
    team_url = owner.url
    flash(owner, f"Team {team!r} created")
    owner.get_by_label("Role", exact=True).select_option("analyst")
    owner.get_by_role("button", name="Create invitation").click()
    flash(owner, "Copy the link now")
    link = owner.locator("#new-invitation").inner_text().strip()
    assert link.startswith(f"{server_url}/invitations/")

    colleague_name = f"colleague-{suffix}"
    colleague = new_context(java_script_enabled=False).new_page()
    register(colleague, server_url, colleague_name, PASSWORD)
    colleague.goto(link)
    expect(colleague.get_by_role("heading", level=1)).to_have_text(f"Join {team}")
    expect(colleague.locator("#invited-role")).to_have_text("analyst")
    colleague.get_by_role("button", name=f"Accept and join as {colleague_name}").click()
    expect(colleague).to_have_url(f"{server_url}/dashboard")
    flash(colleague, f"You joined {team} as analyst")
    working_in = colleague.locator("[data-role=team-menu] summary")
    expect(working_in).to_have_text(f"Team {team} (analyst)")

    # The team menu switches without JavaScript: back to the colleague's personal team.
    colleague.goto("/models")
    working_in.click()
    colleague.get_by_role("button", name=f"{colleague_name} (personal)").click()
    expect(colleague).to_have_url(f"{server_url}/models")  # the page it was on
    flash(colleague, f"You are working in {colleague_name} now")
    expect(working_in).to_have_text(f"Team {colleague_name} (personal)")

    owner.goto(owner.url)  # reloading the page of the new link shows the team's page again
    expect(owner).to_have_url(team_url)
    expect(owner.locator("#new-invitation")).to_have_count(0)  # the link was shown once
    expect(owner.locator("#members")).to_contain_text(colleague_name)
    assert colleague.goto(link).status == 410  # used


@pytest.mark.browser
def test_the_layout_menus_close_as_menus_do(new_context: NewContext, server_url: str) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    username = f"menus-{uuid.uuid4().hex[:8]}"
    register(page, server_url, username, PASSWORD)
    team_menu = page.locator("[data-role=team-menu]")
    user_menu = page.locator("[data-role=user-menu]")
    team_menu.locator("summary").click()
    expect(page.get_by_role("link", name="All your teams, new team…")).to_be_visible()
    user_menu.locator("summary").click()  # opening one closes the other
    expect(page.get_by_role("link", name="API tokens")).to_be_visible()
    expect(team_menu).not_to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(user_menu).not_to_have_attribute("open", "")
    expect(user_menu.locator("summary")).to_be_focused()
    user_menu.locator("summary").click()
    page.get_by_role("heading", level=1).click()  # a click elsewhere
    expect(page.get_by_role("link", name="API tokens")).to_be_hidden()
    user_menu.locator("summary").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(f"{server_url}/account/tokens")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: nothing sticks out
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
