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
    expect(colleague.locator(".team-current")).to_have_text(f"{team} (analyst)")

    owner.goto(owner.url)  # reloading the page of the new link shows the team's page again
    expect(owner).to_have_url(team_url)
    expect(owner.locator("#new-invitation")).to_have_count(0)  # the link was shown once
    expect(owner.locator("#members")).to_contain_text(colleague_name)
    assert colleague.goto(link).status == 410  # used
