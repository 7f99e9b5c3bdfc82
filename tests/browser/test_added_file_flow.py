"""In a real browser, a dataset's page leads to adding a file; a workbook of several sheets
offers them, the texts of the sheet chosen join the dataset's, and the message saying so
outlasts the reload that shows the finished analysis; the file, listed with the upload, has
its texts taken out again (asked first), and the dashboard counts the upload's alone."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import FILE_LABEL, analysed
from tests.browser.flow_users import NewContext, new_user
from tests.engine.workbook_files import workbook_sheets


@pytest.mark.browser
def test_a_workbooks_sheet_is_added_to_a_dataset(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "monthly")
    march = tmp_path / "march.csv"
    march.write_text("text\nI love the new tram\nThe delays make me furious\n")
    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(march)
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    dataset_url = page.url

    page.get_by_role("link", name="Add texts").click()
    expect(page.get_by_role("heading", name="Add texts from a file")).to_be_visible()
    expect(page.locator("#sheet")).to_be_hidden()  # no workbook chosen yet
    april = tmp_path / "april.xlsx"
    april.write_bytes(
        workbook_sheets(
            {
                "Summary": [["Tram survey, April"]],
                "Answers": [["text"], ["So glad the night trams are back"], ["Scary ride"]],
            }
        )
    )
    page.get_by_label(FILE_LABEL).set_input_files(april)
    sheet = page.get_by_label("Sheet (of a workbook")
    expect(sheet).to_have_value("Summary")
    sheet.select_option("Answers")
    page.get_by_role("button", name="Add and analyse").click()
    expect(page).to_have_url(dataset_url)
    analysed(page)
    expect(page.get_by_role("status").filter(has_text="analysed texts")).to_have_text(
        "4 analysed texts in this view (the dataset has 4)."
    )
    # shown again after the page reloads for the finished analysis (messages.js)
    expect(page.locator("main > .flash")).to_have_text(
        "2 texts added from april.xlsx (read as an Excel workbook; texts from “text”); "
        "the dataset is analysed again, with them."
    )
    page.reload()  # once
    expect(page.locator("main > .flash")).to_have_count(0)

    page.get_by_role("link", name="Add texts").click()
    files = page.locator('[data-role="file"]')
    expect(files).to_have_count(2)
    expect(files.nth(0)).to_contain_text("march.csv")
    expect(files.nth(1)).to_contain_text("april.xlsx sheet Answers")
    files.nth(1).get_by_role("link", name="Take its texts out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Take the texts of “april.xlsx” (2 texts"
    )
    page.get_by_role("button", name="Take its texts out").click()
    expect(page.locator("main > .flash")).to_have_text("Taken out: the 2 texts of “april.xlsx”.")
    expect(files).to_have_count(1)
    page.goto(dataset_url)
    expect(page.get_by_role("status").filter(has_text="analysed texts")).to_have_text(
        "2 analysed texts in this view (the dataset has 2)."
    )
    watch.assert_clean()
