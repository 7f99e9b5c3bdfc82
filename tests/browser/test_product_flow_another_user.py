"""In a real browser, another user's dataset is the 404 page everywhere, and its data too."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.account_steps import expect_signed_in, register, unique_username
from tests.browser.flow_users import NewContext

SMALL_CSV = "remark,when\n" + "".join(
    f"private note {index}: the tram made me happy,2026-03-0{1 + index % 9}T08:00:00Z\n"
    for index in range(40)
)
NOT_YOURS = "There is nothing here, or it is not yours to see."


def expect_not_found(page: Page, response: Response | None, secret: str) -> str:
    """The friendly 404 page, with none of the other user's data; its main text."""
    assert response is not None and response.status == 404, response and response.status
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Error 404")).to_be_visible()
    expect(page.get_by_text(NOT_YOURS)).to_be_visible()
    body = page.locator("main").inner_text()
    assert secret not in body and "private note" not in body
    return body


@pytest.mark.browser
def test_another_users_dataset_is_a_404(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    secret = f"Secret plans {uuid.uuid4().hex[:6]}"
    owner = new_context().new_page()
    register(owner, server_url, unique_username("owner"))
    owner.goto("/datasets/new")
    owner.get_by_label("Dataset name").fill(secret)
    source = tmp_path / "notes.csv"
    source.write_text(SMALL_CSV, encoding="utf-8")
    owner.get_by_label("Texts (CSV, Excel, JSON, JSON Lines or plain text)").set_input_files(source)
    expect(owner.get_by_label("Text column")).to_have_js_property("tagName", "SELECT")
    owner.get_by_label("Text column").select_option("remark")
    owner.get_by_label("Timestamp column").select_option("when")
    owner.get_by_role("button", name="Upload and analyse").click()
    expect(owner).to_have_url(re.compile(r"/datasets/\d+$"))
    dataset_url = owner.url
    expect(owner.get_by_role("heading", level=1)).to_have_text(secret)
    expect(owner.locator('[data-chart="distribution"] svg')).to_have_count(1, timeout=30_000)
    owner.goto(f"{dataset_url}/texts")
    open_link = owner.get_by_role("link", name=re.compile(r"^Open text \d+$")).first
    text_url = open_link.get_attribute("href")
    assert text_url and re.fullmatch(r"/datasets/\d+/texts/\d+", text_url)

    intruder = new_context().new_page()
    intruder_name = unique_username("intruder")
    register(intruder, server_url, intruder_name)
    expect(intruder.get_by_text(secret)).to_have_count(0)  # not on the intruder's dashboard

    # Pasting the owner's addresses into the address bar: the 404 page, never the data.
    page_body = expect_not_found(intruder, intruder.goto(dataset_url), secret)
    expect_signed_in(intruder, intruder_name)
    expect_not_found(intruder, intruder.goto(f"{dataset_url}/texts"), secret)
    expect_not_found(intruder, intruder.goto(f"{server_url}{text_url}"), secret)
    # The same page as for a dataset that does not exist: nothing tells the two apart.
    missing = intruder.goto("/datasets/987654321")
    assert expect_not_found(intruder, missing, secret) == page_body

    # Nor do the data addresses behind the page answer with data.
    for path in ("summary.json", "export.csv", "export.jsonl"):
        response = intruder.request.get(f"{dataset_url}/{path}")
        assert response.status == 404, (path, response.status)
        assert "private note" not in response.text() and secret not in response.text()

    # The owner still sees it all.
    owner.goto(dataset_url)
    expect(owner.get_by_role("heading", level=1)).to_have_text(secret)
