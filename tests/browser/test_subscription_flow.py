"""In a real browser, a dataset subscribes to a feed on its page: its entries are texts on the
dashboard at once, a feed that cannot be read is refused with the reason, and ending the
subscription is asked first."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import chosen
from tests.browser.flow_users import NewContext, new_user
from tests.feed_server import FeedServer, rss


@pytest.mark.browser
def test_a_feed_subscribed_on_the_page_brings_its_entries_and_ends_when_asked(
    new_context: NewContext, server_url: str, tmp_path: Path, feed_server: FeedServer
) -> None:
    page, watch = new_user(new_context, server_url, "listener")
    source = tmp_path / "mentions.csv"
    source.write_text("text\nI love the tram\nThe tram is late again\n")
    chosen(page, source, text_column="text")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    status = page.get_by_role("status").filter(has_text="analysed texts")
    expect(status).to_have_text("2 analysed texts in this view (the dataset has 2).")

    address = page.get_by_label("Feed address")
    address.fill(feed_server.serve("/missing.rss", b"", status=404))
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("main")).to_contain_text(
        "Not subscribed: The feed could not be read: the feed's server answered 404."
    )
    items = (
        ("tag:1", "Tram strike", "Commuters are <b>furious</b> about the strike."),
        ("tag:2", "New line", "Riders love the new line."),
    )
    address.fill(feed_server.serve("/news.rss", rss(*items)))
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("main")).to_contain_text("Subscribed to “Tram news”: 2 texts added.")
    expect(status).to_have_text("4 analysed texts in this view (the dataset has 4).")
    subscriptions = page.locator('[data-role="subscriptions"]')
    expect(subscriptions).to_contain_text("Tram news · 2 texts added · read ")

    page.get_by_role("link", name="End the subscription to Tram news").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "End the subscription to “Tram news”?"
    )
    page.get_by_role("button", name="End the subscription").click()
    expect(page.locator("main")).to_contain_text("Ended the subscription to “Tram news”.")
    expect(subscriptions).to_have_count(0)
    expect(status).to_have_text("4 analysed texts in this view (the dataset has 4).")
    watch.assert_clean()
