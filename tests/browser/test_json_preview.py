"""In a real browser, the preview of a compact JSON array (every record on one line) marks the
records the upload would refuse, and only those."""

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
    expect(bad.locator("td.problem")).to_have_text(["line 1: no text", "line 1: no text"])
    expect(rows.nth(1)).not_to_have_class("bad-row")
    expect(rows.nth(3)).to_contain_text("The app crashed again")
    expect(rows.nth(3)).not_to_have_class("bad-row")
    watch.assert_clean()
