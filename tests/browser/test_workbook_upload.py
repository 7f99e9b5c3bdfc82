"""In a real browser, an Excel workbook (or an .ods file) is previewed (the page sends it whole:
it is read from its end), its columns guessed from their values, and uploaded."""

import random
import re
import string
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.dataset_page import FILE_LABEL
from tests.browser.flow_users import NewContext, new_user
from tests.engine.workbook_files import ods_bytes, workbook_sheets


@pytest.mark.browser
def test_a_workbook_is_previewed_and_uploaded(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "surveyor")
    book = Workbook()
    sheet = book.active
    sheet.append(["Respondent", "Submitted", "What did you think of the tram?"])
    rng = random.Random(5)
    for n in range(400):  # past the 64 KB a text file's preview is sent, even compressed
        noise = "".join(rng.choice(string.ascii_lowercase) for _ in range(300))
        answer = f"Answer {n}: the new tram is lovely and quick, thank you all {noise}"
        sheet.append([f"r{n}", datetime(2026, 10, 1 + n % 28, 9, 30), answer])
    source = tmp_path / "survey.xlsx"
    book.save(source)
    assert source.stat().st_size > 64 * 1024

    page.goto("/datasets/new")
    page.get_by_label("Dataset name").fill("Tram survey")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    expect(page.locator("#preview-note")).to_contain_text('An Excel workbook: sheet "Sheet".')
    sheet = page.locator("#sheet")  # the workbook has one: nothing to choose
    expect(sheet).to_be_attached()
    expect(sheet).to_be_hidden()
    expect(page.get_by_label("Text column")).to_have_value("What did you think of the tram?")
    expect(page.get_by_label("Timestamp column")).to_have_value("Submitted")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    expect(page.get_by_role("status").filter(has_text="texts uploaded")).to_have_text(
        "400 texts uploaded (read as an Excel workbook); analysis started."
    )
    watch.assert_clean()


@pytest.mark.browser
def test_a_survey_export_with_a_title_is_previewed_from_its_answers(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "pollster")
    source = tmp_path / "survey.csv"  # Excel's CSV on a Western Windows: semicolons, cp1252
    source.write_bytes(
        (
            "Tram survey, March 2026;;\r\n;;\r\n"
            "StartDate;ResponseId;Q2_TEXT\r\n"
            "Start Date;Response ID;What would you tell the city?\r\n"
            '"{""ImportId"":""startDate""}";"{""ImportId"":""_recordId""}";'
            '"{""ImportId"":""QID2_TEXT""}"\r\n'
            "2026-03-01 08:00:00;R_1;Don’t change a thing – it’s great\r\n"
        ).encode("cp1252")
    )
    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    note = page.locator("#preview-note")
    expect(note).to_contain_text("CSV, Windows-1252.")
    expect(note).to_contain_text("The first row is on line 6")
    expect(page.get_by_label("Text column")).to_have_value("Q2_TEXT")
    expect(page.get_by_role("cell", name="Don’t change a thing – it’s great")).to_be_visible()
    watch.assert_clean()


@pytest.mark.browser
def test_an_ods_spreadsheet_is_sent_whole_previewed_and_uploaded(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "libreoffice")
    rng = random.Random(6)
    rows = [
        [f"Answer {n}: the tram is lovely " + "".join(rng.choices(string.ascii_lowercase, k=300))]
        for n in range(300)
    ]  # past the 64 KB a text file's preview is sent, even compressed
    source = tmp_path / "survey.ods"
    source.write_bytes(ods_bytes(["What did you think of the tram?"], *rows))
    assert source.stat().st_size > 64 * 1024
    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    expect(page.get_by_label("Text column")).to_have_value("What did you think of the tram?")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    expect(page.get_by_role("heading", name="survey")).to_be_visible()  # named after its file
    expect(page.get_by_role("status").filter(has_text="texts uploaded")).to_have_text(
        "300 texts uploaded (read as an OpenDocument spreadsheet); analysis started."
    )
    watch.assert_clean()


@pytest.mark.browser
def test_a_workbooks_sheet_is_chosen_and_its_texts_uploaded(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "reporter")
    source = tmp_path / "report.xlsx"
    source.write_bytes(
        workbook_sheets(
            {
                "Summary": [["Tram survey, March"], ["Exported", "2026-03-31"]],
                "Answers": [
                    ["Respondent", "What would you tell the city?"],
                    ["r1", "I love the new tram, so quick"],
                    ["r2", "The delays make me furious every morning"],
                ],
            }
        )
    )
    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    note = page.locator("#preview-note")
    expect(note).to_contain_text('An Excel workbook: sheet "Summary" (1 of 2).')
    sheet = page.get_by_label("Sheet (of a workbook")
    expect(sheet).to_have_value("Summary")
    sheet.select_option("Answers")
    expect(note).to_contain_text('An Excel workbook: sheet "Answers" (2 of 2).')
    expect(page.get_by_label("Text column")).to_have_value("What would you tell the city?")
    expect(page.get_by_role("cell", name="I love the new tram, so quick")).to_be_visible()
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    # two texts are analysed at once: the page may reload with the dashboard before the
    # message "2 texts uploaded" is read
    expect(page.get_by_role("status").filter(has_text="analysed texts")).to_have_text(
        "2 analysed texts in this view (the dataset has 2)."
    )
    watch.assert_clean()
