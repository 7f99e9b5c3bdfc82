"""In a real browser, a survey's city and country columns are guessed on the upload page, its
texts land on the dashboard's map, and the places not found are named on the dataset's page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import chosen
from tests.browser.flow_users import NewContext, new_user


@pytest.mark.browser
def test_city_and_country_columns_put_texts_on_the_map(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "placer")
    source = tmp_path / "survey.csv"
    source.write_text(
        "Answer,City,Country\n"
        "I love the new tram so much,Lisboa,Portugal\n"
        "The app crashed again and I am furious,Paris,US\n"
        "Tickets far too expensive,,Germany\n"
        "What a lovely quiet ride,Home,\n"
        "The staff were so kind,Home,\n"
    )
    chosen(page, source, "Answer")
    expect(page.get_by_label("Place column")).to_have_value("City")
    expect(page.get_by_label("Country column")).to_have_value("Country")
    expect(page.locator("#preview-note")).to_contain_text(
        "Not found for the map: “Home” (their texts are kept)."
    )
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    expect(page.get_by_text("5 texts uploaded")).to_contain_text(
        "The places of 2 texts were not found for the map."
    )
    unplaced = page.locator("details[data-role=unplaced]")
    expect(unplaced.locator("summary")).to_have_text(
        "The places of 2 texts were not found, so they are not on the map"
    )
    unplaced.locator("summary").click()
    expect(unplaced).to_contain_text("“Home” (2)")
    note = page.locator("[data-role=map-note]")
    expect(note).to_contain_text("3 geotagged texts.")
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution.get_by_role("link", name="GeoNames")).to_be_visible()
    watch.assert_clean()
