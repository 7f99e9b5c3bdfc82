"""Deleting a dataset in a real browser: the dataset page leads to a confirmation page, which
deletes nothing until the dataset's name is typed. No script is involved (the CSP allows no
inline script); the page must work as plain HTML forms."""

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.account_steps import PASSWORD, flash, register

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture

REVIEWS = "text\nThe tram is lovely\nThe delays make me furious\nI am scared at night\n"


@pytest.mark.browser
def test_deleting_a_dataset_asks_for_its_name(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    register(page, server_url, f"deleter-{uuid.uuid4().hex[:10]}", PASSWORD)
    name = f"Tram reviews {uuid.uuid4().hex[:6]}"
    page.goto("/datasets/new")
    page.get_by_label("Dataset name").fill(name)
    source = tmp_path / "reviews.csv"
    source.write_text(REVIEWS, encoding="utf-8")
    page.get_by_label("Texts (CSV, Excel, JSON, JSON Lines or plain text)").set_input_files(source)
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(r"/datasets/\d+$"))
    dataset_url = page.url

    page.get_by_role("link", name="Delete this dataset…").click()
    expect(page).to_have_url(f"{dataset_url}/delete")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delete the dataset {name!r}?")
    expect(page.get_by_text("Its 3 texts, their results and its analyses")).to_be_visible()

    # A click without the name, then a wrong name: the question again, nothing deleted.
    page.get_by_role("button", name="Delete this dataset").click()
    expect(page.get_by_text("Nothing was deleted")).to_be_visible()
    page.get_by_label("Name").fill(name.lower())
    page.get_by_role("button", name="Delete this dataset").click()
    expect(page.get_by_text("Nothing was deleted")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(dataset_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    page.get_by_role("link", name="Delete this dataset…").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Delete this dataset").click()
    expect(page).to_have_url(f"{server_url}/dashboard")
    flash(page, f"Deleted the dataset {name!r} with its texts and results.")
    expect(page.get_by_text(name)).to_have_count(1)  # the message only, not the list
    assert page.goto(dataset_url).status == 404
    # The refusals answer 400 and the deleted page 404 ("Failed to load resource"); no other
    # error, and above all no Content-Security-Policy violation. (Chromium's notices, such as
    # an autofocus skipped because the typed-in field kept the focus, are not errors.)
    errors = [text for text in console if text.startswith(("error", "warning"))]
    assert [text for text in errors if "Failed to load resource" not in text] == []
