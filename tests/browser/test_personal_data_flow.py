"""In a real browser, personal data is masked: chosen on the upload page for a new dataset,
and later, after the question, for a dataset uploaded whole (its job's progress, then its
texts analysed again)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import FILE_LABEL, analysed
from tests.browser.flow_users import NewContext, new_user

TICKETS = (
    "ticket,author\n"
    '"Refund me now, call +1 212 736 5000, I am furious",Ana\n'
    '"Write to ana@example.org please",ana\n'
)


@pytest.mark.browser
def test_personal_data_is_masked_at_the_upload_and_later(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "masker")
    source = tmp_path / "tickets.csv"
    source.write_text(TICKETS)
    dataset_url = re.compile(rf"^{re.escape(server_url)}/datasets/\d+$")

    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    expect(page.get_by_label("Text column")).to_have_value("ticket")  # the preview is read
    page.get_by_label(re.compile("^Mask personal data")).check()
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(dataset_url)
    analysed(page)
    expect(page.locator("p.meta")).to_contain_text("personal data masked")
    status = page.get_by_role("status").filter(has_text="analysed texts")
    expect(status).to_have_text("2 analysed texts in this view (the dataset has 2).")
    page.get_by_role("link", name="Texts", exact=True).click()
    table = page.locator("table")
    expect(table).to_contain_text("Refund me now, call [phone], I am furious")
    expect(table).to_contain_text("Write to [email] please")
    expect(table).not_to_contain_text("ana@example.org")

    page.goto("/datasets/new")  # the same file, uploaded whole
    page.get_by_label(FILE_LABEL).set_input_files(source)
    expect(page.get_by_label("Text column")).to_have_value("ticket")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(dataset_url)
    analysed(page)
    expect(page.locator("p.meta")).not_to_contain_text("personal data masked")
    expect(status).to_have_text("2 analysed texts in this view (the dataset has 2).")
    page.get_by_role("link", name="Mask personal data…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mask the personal data of “tickets”?"
    )
    page.get_by_role("button", name="Mask personal data").click()
    expect(page).to_have_url(dataset_url)
    analysed(page)
    expect(page.locator("p.meta")).to_contain_text("personal data masked")
    page.get_by_role("link", name="Texts", exact=True).click()
    for _ in range(100):  # the job masks them in the background: a moment
        if "[email]" in page.locator("table").inner_text():
            break
        page.wait_for_timeout(100)
        page.reload()
    expect(page.locator("table")).to_contain_text("Write to [email] please")
    watch.assert_clean()
