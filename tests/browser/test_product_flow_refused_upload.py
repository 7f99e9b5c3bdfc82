"""In a real browser, a refused upload keeps the file, the preview and the columns chosen."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.flow_users import NewContext, new_user

FILE_LABEL = "Texts (CSV, Excel, JSON, JSON Lines or plain text)"
CHOOSE_TEXT = "Choose the column that holds the texts."
LATE_ROW = "late again"
REFUSED_CSV = (  # remarks too short for the text column to be guessed by its words
    "remark,when\n"
    "lovely today,2026-03-01T08:00:00Z\n"
    f"{LATE_ROW},next tuesday\n"
    "kind staff,2026-03-02T08:00:00Z\n"
)


@pytest.mark.browser
def test_a_refused_upload_keeps_the_file_the_preview_and_the_columns(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "refused")
    sent: list[str] = []
    page.on(
        "request", lambda request: sent.append(request.url) if request.method == "POST" else None
    )
    page.goto("/datasets/new")
    page.get_by_label("Dataset name").fill("Rider notes")
    # 0. A first file chosen by mistake, an API's answer: the note says where its rows are.
    answer = tmp_path / "answer.json"
    children = [{"kind": "t1", "data": {"body": "so happy", "author": "ana"}}]
    answer.write_text(json.dumps({"kind": "Listing", "data": {"children": children}}))
    page.get_by_label(FILE_LABEL).set_input_files(answer)
    expect(page.locator("#preview-note")).to_contain_text(
        'JSON, UTF-8. The rows are the items of "data.children".'
    )
    expect(page.get_by_label("Text column")).to_have_value("data.body")
    source = tmp_path / "rider-notes.csv"
    source.write_text(REFUSED_CSV, encoding="utf-8")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    # the name an unnamed upload would take
    expect(page.get_by_label("Dataset name")).to_have_attribute("placeholder", "rider-notes")
    text_column = page.get_by_label("Text column")
    expect(text_column).to_have_js_property("tagName", "SELECT")
    expect(text_column).to_have_value("")
    upload_button = page.get_by_role("button", name="Upload and analyse")

    # 1. An unmapped text column: nothing is sent, the field says why.
    upload_button.click()
    expect(page.locator("#form-error")).to_have_text(f"Nothing was uploaded. {CHOOSE_TEXT}")
    expect(page.locator(".field.has-error").filter(has=text_column)).to_contain_text(CHOOSE_TEXT)
    expect(text_column).to_have_accessible_description(CHOOSE_TEXT)  # read out with the field
    expect(text_column).to_be_focused()
    assert f"{server_url}/datasets/new" not in sent

    # 2. With the columns chosen, the preview marks the row the upload would refuse.
    text_column.select_option("remark")
    page.get_by_label("Timestamp column").select_option("when")
    bad_rows = page.locator("#preview-table tr.bad-row")
    expect(bad_rows).to_have_count(1)
    expect(bad_rows.locator("td").first).to_have_text(LATE_ROW)
    expect(bad_rows.locator("td.problem")).to_have_text(
        "line 3: unreadable timestamp 'next tuesday'"
    )
    expect(page.locator("#preview-note")).to_contain_text("1 row among the first cannot be read")

    # 3. Sent anyway: the server's refusal shows in place; file, preview and columns stay.
    upload_button.click()
    file_errors = page.locator(".field").filter(has=page.get_by_label(FILE_LABEL)).locator(".error")
    expect(file_errors).to_contain_text("1 row cannot be read: line 3: unreadable timestamp")
    expect(page.locator("#form-error")).to_contain_text("Nothing was uploaded.")
    assert sent.count(f"{server_url}/datasets/new") == 1
    expect(page).to_have_url(f"{server_url}/datasets/new")
    expect(text_column).to_have_value("remark")
    expect(page.get_by_label("Timestamp column")).to_have_value("when")
    expect(page.get_by_label("Dataset name")).to_have_value("Rider notes")
    expect(page.locator("#preview-table tr")).to_have_count(4)  # the header and three rows
    expect(bad_rows).to_have_count(1)
    chosen = page.get_by_label(FILE_LABEL).evaluate("input => input.files[0].name")
    assert chosen == "rider-notes.csv"

    # 4. The kept file goes again, its unreadable row skipped.
    page.get_by_label("Skip rows that cannot be read (they are listed afterwards)").check()
    upload_button.click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rider notes")
    # (The notice is not checked: the page reloads once two texts are analysed, which is soon.)
    expect(page.locator(".meta").first).to_contain_text("2 texts")
    expect(page.locator("details.warn")).to_contain_text("line 3: unreadable timestamp")
    watch.assert_clean(refused="/datasets/new")  # the upload's own 400 answer, logged
