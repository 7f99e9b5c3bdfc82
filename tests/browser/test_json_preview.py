"""In a real browser, a compact JSON array (every record on one line, as most programs write
one): its preview marks the records the upload would refuse, and only those, each named by its
place in the array; uploaded, the records skipped and each text's page say the same."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Route, expect

from tests.browser.dataset_page import FILE_LABEL, analysed, chosen
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
    analysed(page)
    skipped = page.locator("details.warn")
    skipped.locator("summary").click()
    expect(skipped.locator("li")).to_have_text(["record 2: no text", "record 4: no text"])
    page.get_by_role("link", name="Texts", exact=True).click()
    page.get_by_role("link", name="Open text 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text in record 3 of export.json")
    watch.assert_clean()


@pytest.mark.browser
def test_a_file_chosen_before_the_pages_script_has_loaded_is_previewed(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "hasty")
    source = tmp_path / "export.json"
    source.write_text('[{"text": "I love the new tram"}, {"text": "The app crashed again"}]')
    held: list[Route] = []  # the upload script, held back until the file is chosen

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/js/upload.js", hold)
    page.goto("/datasets/new", wait_until="commit")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    assert held, "the page asked for its script only after the file was chosen"
    held[0].continue_()
    expect(page.get_by_label("Text column")).to_have_value("text")
    expect(page.locator("#preview-table tr")).to_have_count(3)
    expect(page.get_by_label("Dataset name")).to_have_attribute("placeholder", "export")
    watch.assert_clean()
