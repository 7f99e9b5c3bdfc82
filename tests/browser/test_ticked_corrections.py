"""In a real browser, the texts table's box ticks every text of the page, and one label is set
for the texts ticked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.flow_users import NewContext, new_user


@pytest.mark.browser
def test_one_label_for_the_texts_ticked(new_context: NewContext, server_url: str) -> None:
    page, watch = new_user(new_context, server_url, "ticker")
    page.get_by_role("button", name="Load the sample dataset").click()
    expect(page).to_have_url(re.compile(r"/datasets/\d+$"))
    dataset_url = page.url
    expect(page.locator(".job-progress")).to_have_count(0, timeout=60_000)  # analysed
    page.goto(f"{dataset_url}/texts?label=joy")
    boxes = page.locator('input[name="text_id"]')
    expect(boxes).to_have_count(50)
    every = page.get_by_label("Tick every text of this page")
    every.check()
    for index in (0, 49):
        expect(boxes.nth(index)).to_be_checked()
    boxes.nth(0).uncheck()
    expect(every).not_to_be_checked()
    assert every.evaluate("box => box.indeterminate")
    page.get_by_label("Right emotion of the texts ticked below").select_option("sadness")
    page.get_by_role("button", name="Set for the ticked texts").click()
    expect(page).to_have_url(f"{dataset_url}/texts?label=joy")
    expect(page.locator(".flash, [role=status], .notice").first).to_contain_text(
        "Label set to sadness for 49 texts."
    )
    page.goto(f"{dataset_url}/texts?corrected=true")
    expect(page.locator("p.meta").first).to_contain_text("49 texts match")
    watch.assert_clean()
