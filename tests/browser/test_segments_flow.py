"""In a real browser, a survey's segment column is chosen on the upload page, the dashboard
breaks its emotions down by segment, and the segment filter narrows the view."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import analysed, chosen
from tests.browser.flow_users import NewContext, new_user


@pytest.mark.browser
def test_a_segment_column_is_chosen_broken_down_and_filtered(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "segmenter")
    source = tmp_path / "survey.csv"
    source.write_text(
        "answer,channel\n"
        "I love the new tram so much,App\n"
        "The app crashed again and I am furious,App\n"
        "Tickets far too expensive,Web shop\n"
        "What a lovely quiet ride,Kiosk\n"
    )
    chosen(page, source, "answer")
    segment = page.get_by_label("Segment column")
    expect(segment).to_have_value("")  # never guessed
    segment.select_option("channel")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    analysed(page)  # on a busy machine the analysis can outlast an expectation's 10 s
    status = page.get_by_role("status").filter(has_text="analysed texts")
    expect(status).to_have_text("4 analysed texts in this view (the dataset has 4).")
    chart = page.get_by_role("img", name=re.compile("^Share of each emotion per segment: "))
    expect(chart).to_have_attribute(
        "aria-label",
        "Share of each emotion per segment: App (2), Kiosk (1), Web shop (1)",
    )
    page.locator("form.filters select[name=segment]").select_option("App")
    page.get_by_role("button", name="Filter").click()
    expect(status).to_have_text("2 analysed texts in this view (the dataset has 4).")
    watch.assert_clean()
