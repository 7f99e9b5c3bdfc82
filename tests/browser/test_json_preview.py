"""In a real browser, a compact JSON array (every record on one line, as most programs write
one): its preview marks the records the upload would refuse, and only those, each named by its
place in the array; uploaded, the records skipped and each text's page say the same."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import chosen
from tests.browser.flow_users import NewContext, new_user


@pytest.mark.browser
def test_the_bad_records_of_a_one_line_json_array_are_marked_alone(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "jsonist")
    source = tmp_path / "export.json"
    source.write_text(
        '[{"text": "I love the new tram"}, {"text": ""}, '
        '{"text": "The app crashed again"}, {"text": null}]'
    )
    chosen(page, source, "text")
    rows = page.locator("#preview-table tr")
    expect(rows).to_have_count(5)  # the header and four records
    bad = page.locator("#preview-table tr.bad-row")
    expect(bad).to_have_count(2)
    expect(bad.locator("td.problem")).to_have_text(["record 2: no text", "record 4: no text"])
    expect(rows.nth(1)).not_to_have_class("bad-row")
    expect(rows.nth(3)).to_contain_text("The app crashed again")
    expect(rows.nth(3)).not_to_have_class("bad-row")

    page.get_by_label("Skip rows that cannot be read").check()
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    skipped = page.locator("details.warn")
    skipped.locator("summary").click()
    expect(skipped.locator("li")).to_have_text(["record 2: no text", "record 4: no text"])
    page.get_by_role("link", name="Texts", exact=True).click()
    page.get_by_role("link", name="Open text 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text in record 3 of export.json")
    watch.assert_clean()
