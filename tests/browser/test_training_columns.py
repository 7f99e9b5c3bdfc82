"""In a real browser, the train page offers the chosen file's columns for the texts and the
labels, with the likely ones chosen, and the model trains from a semicolon-separated file, or
from the sheet chosen of an Excel workbook (sent whole to the preview); a JSON Lines file offers
its columns too."""

import json
import random
import re
import string
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.flow_users import NewContext, new_user

EXAMPLES = [
    ("My invoice shows the wrong amount", "billing"),
    ("I was charged twice this month", "billing"),
    ("The app crashes when I open settings", "bug"),
    ("Error 500 after pressing save", "bug"),
]


@pytest.mark.browser
def test_the_train_page_offers_the_files_columns(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "trainer")
    page.goto("/models/new")
    page.get_by_label("Model name").fill("Tickets")
    source = tmp_path / "tickets.csv"
    rows = (f"{n};{text} #{n};{topic}\n" for n in range(12) for text, topic in EXAMPLES)
    source.write_text("id;ticket;Topic\n" + "".join(rows), encoding="utf-8")
    page.get_by_label("Labeled texts").set_input_files(source)

    text_column, label_column = page.get_by_label("Text column"), page.get_by_label("Label column")
    expect(text_column).to_have_js_property("tagName", "SELECT")
    expect(page.locator("#columns-note")).to_have_text("The file's columns: id, ticket, Topic.")
    expect(label_column).to_have_value("Topic")  # named like labels
    expect(text_column).to_have_value("ticket")  # no name says texts: the one with most words
    label_column.select_option("ticket")  # the texts' column: refused, the message read out
    page.get_by_role("button", name="Train").click()
    expect(page.get_by_label("Label column")).to_have_accessible_description(
        "Choose two different columns for the texts and the labels."
    )
    page.get_by_label("Labeled texts").set_input_files(source)
    expect(page.get_by_label("Label column")).to_have_value("Topic")
    expect(page.get_by_label("Text column")).to_have_value("ticket")  # kept from before
    page.get_by_role("button", name="Train").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/models/\d+$"))
    expect(page.get_by_role("link", name="Try it on a text")).to_be_visible(timeout=60_000)
    expect(page.locator("main")).to_contain_text("billing")
    watch.assert_clean(refused="/models/new")


@pytest.mark.browser
def test_a_model_trains_from_a_workbook_the_page_reads_whole(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "sheets")
    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["Tickets labelled by the help desk, one topic each"])
    book.active.append(["Exported", "2026-03-31"])
    tickets = book.create_sheet("Tickets")
    tickets.append(["Ticket", "Topic", "Notes"])
    rng = random.Random(3)
    for n in range(12):
        for text, topic in EXAMPLES:  # the notes push the file past the 64 KB of a CSV's preview
            notes = "".join(rng.choice(string.ascii_lowercase) for _ in range(3000))
            tickets.append([f"{text} #{n}", topic, notes])
    source = tmp_path / "tickets.xlsx"
    book.save(source)
    assert source.stat().st_size > 64 * 1024

    page.goto("/models/new")
    page.get_by_label("Model name").fill("Sheet tickets")
    page.get_by_label("Labeled texts").set_input_files(source)
    sheet = page.get_by_label("Sheet (of a workbook")
    expect(sheet).to_have_value("Read me")  # the first sheet with a filled cell
    sheet.select_option("Tickets")
    expect(page.locator("#columns-note")).to_have_text(
        'Sheet "Tickets": its columns: Ticket, Topic, Notes.'
    )
    expect(page.get_by_label("Label column")).to_have_value("Topic")
    page.get_by_label("Text column").select_option("Ticket")
    page.get_by_role("button", name="Train").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/models/\d+$"))
    expect(page.get_by_role("link", name="Try it on a text")).to_be_visible(timeout=60_000)
    expect(page.locator("main")).to_contain_text("billing")
    watch.assert_clean()


@pytest.mark.browser
def test_the_train_page_offers_a_json_lines_files_columns(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "jsonl")
    source = tmp_path / "tickets.jsonl"
    rows = ({"id": n, "ticket": f"{text} #{n}", "Topic": topic} for n in range(12)
            for text, topic in EXAMPLES)  # fmt: skip
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    page.goto("/models/new")
    page.get_by_label("Labeled texts").set_input_files(source)
    expect(page.locator("#columns-note")).to_have_text("The file's columns: id, ticket, Topic.")
    expect(page.get_by_label("Label column")).to_have_value("Topic")
    expect(page.get_by_label("Text column")).to_have_value("ticket")
    watch.assert_clean()
