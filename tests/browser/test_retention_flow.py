"""In a real browser, a dataset's retention is set on its page, asked first, and the texts
past it are gone from the dashboard at once."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import FILE_LABEL, analysed
from tests.browser.flow_users import NewContext, new_user


@pytest.mark.browser
def test_a_retention_is_asked_first_and_takes_the_old_texts_out(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "keeper")
    now = datetime.now(UTC)
    rows = [f"I love the tram {n},{(now - timedelta(days=age)).isoformat()}" for n, age in
            enumerate((5, 6, 200, 300))]  # fmt: skip
    source = tmp_path / "ages.csv"
    source.write_text("text,created_at\n" + "\n".join(rows) + "\n")
    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    expect(page.get_by_label("Text column")).to_have_value("text")  # the preview is read
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    analysed(page)
    status = page.get_by_role("status").filter(has_text="analysed texts")
    expect(status).to_have_text("4 analysed texts in this view (the dataset has 4).")

    page.get_by_label("Keep texts for (days; empty: for ever)").fill("90")
    page.get_by_role("button", name="Save…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Keep the texts of “ages” for 90 days?"
    )
    expect(page.locator("main")).to_contain_text("Its 2 texts dated before ")
    page.get_by_role("button", name="Keep them for 90 days").click()
    expect(page.locator("main")).to_contain_text(
        "Texts are kept for 90 days after their time. 2 texts older than that deleted."
    )
    expect(status).to_have_text("2 analysed texts in this view (the dataset has 2).")
    expect(page.get_by_label("Keep texts for (days; empty: for ever)")).to_have_value("90")
    watch.assert_clean()
