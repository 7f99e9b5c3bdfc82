"""In a real browser, a text's page opened from the texts table: → and ← go to the next and
previous text of the table's view, and keep it; typed in the correction's field, they do not."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import analysed, chosen
from tests.browser.flow_users import NewContext, new_user

ROWS = [
    ("I love the new tram, so quick", "2026-03-01T08:00:00Z"),
    ("The app crashed again, I am furious", "2026-03-02T08:00:00Z"),
    ("What a lovely tram ride", "2026-03-03T08:00:00Z"),
    ("Tickets are far too expensive", "2026-03-04T08:00:00Z"),
]


@pytest.mark.browser
def test_arrow_keys_walk_the_texts_of_the_view(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "reader")
    source = tmp_path / "rides.csv"
    source.write_text("text,created_at\n" + "".join(f'"{t}",{at}\n' for t, at in ROWS))
    chosen(page, source, "text")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    dataset_url = page.url
    analysed(page)
    page.goto(f"{dataset_url}/texts?q=tram&sort=oldest")
    page.get_by_role("link", name="Open text 2").click()  # the oldest text about a tram
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Text on line 2 of rides.csv")
    expect(page.locator("nav.pages")).to_contain_text("Keys: ← and →")
    page.wait_for_load_state()  # keys.js is deferred: a key before it has run does nothing
    page.keyboard.press("ArrowRight")
    expect(heading).to_have_text("Text on line 4 of rides.csv")  # the next one about a tram
    expect(page).to_have_url(re.compile(r"q=tram&sort=oldest$"))
    expect(page.get_by_role("link", name="Next text")).to_have_count(0)  # the last in view
    page.wait_for_load_state()
    page.get_by_label("Right emotion").focus()
    page.keyboard.press("ArrowLeft")  # in the field: it changes the choice, not the page
    expect(heading).to_have_text("Text on line 4 of rides.csv")
    page.locator("main h1").click()  # out of the field
    page.keyboard.press("ArrowLeft")
    expect(heading).to_have_text("Text on line 2 of rides.csv")
    watch.assert_clean()
