"""In a real browser, the dashboard's top terms follow the date filter: a week's are that week's
texts' own, fetched beside the summary and drawn when they come, and the words that rose since
the week before lead to their texts (under a search, with it)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import analysed, chosen
from tests.browser.flow_users import NewContext, new_user

WEEKS = (
    "text,posted_at\n"
    + "The bakery made me furious and I hate it,2026-03-02T10:00:00Z\n" * 12
    + "The refund delay is outrageous and I am livid,2026-03-09T10:00:00Z\n" * 12
)


@pytest.mark.browser
def test_a_weeks_top_terms_are_that_weeks(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "termswatcher")
    source = tmp_path / "weeks.csv"
    source.write_text(WEEKS)
    chosen(page, source, "text")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    analysed(page)
    status = page.get_by_role("status").filter(has_text="analysed texts")
    expect(status).to_have_text("24 analysed texts in this view (the dataset has 24).")
    terms = page.get_by_role("img", name=re.compile("^Most typical terms per emotion: "))
    expect(terms).to_have_attribute("aria-label", re.compile("furious"))
    expect(terms).to_have_attribute("aria-label", re.compile("outrageous"))
    page.locator("form.filters input[name=start]").fill("2026-03-08")
    page.locator("form.filters input[name=end]").fill("2026-03-14")
    page.get_by_role("button", name="Filter").click()
    expect(status).to_have_text("12 analysed texts in this view (the dataset has 24).")
    expect(terms).to_have_attribute("aria-label", re.compile("outrageous"))
    expect(terms).not_to_have_attribute("aria-label", re.compile("furious"))
    expect(page.locator('[data-role="terms-sample"]')).to_have_text(
        "From all 12 texts of the view."
    )
    risen = page.locator(".dash-rising-list li")
    expect(risen).to_have_count(4)  # delay, livid, outrageous, refund: in none of the week before
    expect(risen.filter(has_text="refund")).to_have_text("refund new: 12 texts, before 0")
    risen.get_by_role("link", name="refund").click()
    expect(page).to_have_url(re.compile(r"/texts\?.*q=refund"))
    expect(page.locator("table tbody tr")).to_have_count(12)
    page.go_back()
    # under a search, a word's link keeps the search (as the page read it) and adds the word
    page.get_by_label("Search").fill("livid  OR bakery OR")
    page.get_by_role("button", name="Filter").click()
    expect(status).to_have_text("12 analysed texts in this view (the dataset has 24).")
    expect(page.get_by_label("Search")).to_have_value("livid OR bakery")
    risen.get_by_role("link", name="refund").click()
    expect(page).to_have_url(re.compile(r"/texts\?.*q=livid\+OR\+bakery\+refund"))
    expect(page.locator("table tbody tr")).to_have_count(12)
    watch.assert_clean()
