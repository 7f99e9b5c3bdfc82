"""The dashboard's comparison with the period before, as a person reads it in the browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_period_before_is_a_table_of_changes(open_page) -> None:
    watched = open_page("/page/compared?start=2026-03-08&end=2026-03-14&label=joy")
    card = watched.page.locator('[data-card="comparison"]')
    expect(card.locator(".dash-compare-volume")).to_have_text(
        re.compile(
            r"^Mar 8, 2026 – Mar 14, 2026: 20 texts, against 25 texts in "
            r"Mar 1, 2026 – Mar 7, 2026 \(.20%\)\.$"
        )
    )
    before = card.get_by_role("link", name="Mar 1, 2026 – Mar 7, 2026")
    expect(before).to_have_attribute(
        "href", "/page/compared?start=2026-03-01&end=2026-03-07&label=joy"
    )
    table = card.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_text(["Emotion", "Now", "Before", "Change"])
    joy = table.get_by_role("row", name=re.compile("^Joy"))
    expect(joy.get_by_role("cell")).to_have_text(["25% (5)", "64% (16)", "▼ -39 pts significant"])
    anger = table.get_by_role("row", name=re.compile("^Anger"))
    expect(anger.get_by_role("cell")).to_have_text(["75% (15)", "16% (4)", "▲ +59 pts significant"])
    neutral = table.get_by_role("row", name=re.compile("^Neutral"))
    expect(neutral.get_by_role("cell")).to_have_text(["0% (0)", "20% (5)", "▼ -20 pts"])
    fear = table.get_by_role("row", name=re.compile("^Fear"))
    expect(fear.get_by_role("cell")).to_have_text(["0% (0)", "0% (0)", "0 pts"])
    watched.assert_clean()


def test_without_dates_it_offers_the_latest_days(open_page) -> None:
    watched = open_page("/page/full?keyword=battery")
    card = watched.page.locator('[data-card="comparison"]')
    expect(card).to_contain_text("Choose dates above to compare this view")
    expect(card.get_by_role("link", name="the latest 7 days")).to_have_attribute(
        "href", "/page/full?keyword=battery&start=2026-03-24&end=2026-03-30"
    )
    expect(card.get_by_role("link", name="the latest 30 days")).to_have_attribute(
        "href", "/page/full?keyword=battery&start=2026-03-01&end=2026-03-30"
    )
    expect(card.get_by_role("table")).to_have_count(0)
    watched.assert_clean()


def test_a_view_without_texts_links_to_the_period_before(open_page) -> None:
    watched = open_page("/page/gap?start=2026-03-08&end=2026-03-14")
    empty = watched.page.locator('[data-role="empty"]')
    expect(empty).to_contain_text("No analysed texts are in this view.")
    expect(empty).to_contain_text("The period before, Mar 1, 2026 – Mar 7, 2026, has 25 texts.")
    expect(empty.get_by_role("link")).to_have_attribute(
        "href", "/page/gap?start=2026-03-01&end=2026-03-07"
    )
    watched.assert_clean()
