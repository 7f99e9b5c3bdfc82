"""The dashboard's map in a real browser: markers, clusters, zoom, popups, and no map at all."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.dashboard_harness import Harness
from tests.browser.dashboard_view import chart_svg, clusters, markers, texts_on_map, tile_zoom

pytestmark = pytest.mark.browser


def test_no_coordinates_shows_a_note_instead_of_a_map(open_page) -> None:
    watched = open_page("/page/nomap")
    page = watched.page
    expect(chart_svg(page, "distribution")).to_have_count(1)
    note = page.locator('[data-placeholder="map"]')
    expect(note).to_be_visible()
    expect(note).to_have_text("No texts in this view have coordinates or a known place.")
    expect(page.locator('[data-role="map"]')).to_be_hidden()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    expect(page.locator('[data-placeholder="timeline"]')).to_have_text(
        "No texts in this view carry a timestamp."
    )
    expect(page.locator('[data-card="timeline"] [data-download="png"]')).to_be_disabled()
    comparison = page.locator('[data-card="comparison"]')
    expect(comparison).to_contain_text(
        "No texts in this view carry a timestamp: there is no period before to compare with."
    )
    expect(comparison.get_by_role("link")).to_have_count(0)
    expect(page.locator('[data-placeholder="keywords"]')).to_be_visible()
    watched.assert_clean()


def test_markers_survive_unreachable_tiles(open_page) -> None:
    watched = open_page("/page/full?tiles=offline")
    page = watched.page
    assert texts_on_map(page) == 40
    expect(page.locator('[data-role="map-note"]')).to_contain_text(
        "The background map could not be loaded"
    )
    watched.assert_clean(allow=lambda message: "Failed to load resource" in message)


def test_crowded_maps_cluster_their_markers(open_page) -> None:
    watched = open_page("/page/crowded")
    page = watched.page
    expect(clusters(page).first).to_be_visible()
    assert clusters(page).count() < 200, "1,500 texts should gather into far fewer bubbles"
    assert texts_on_map(page) == 1500
    expect(page.locator('[data-role="map-note"]')).to_have_text("1,500 geotagged texts.")
    # the timeline got both timestamp forms and filled the two missing days
    labels = chart_svg(page, "timeline").locator("text", has_text="Mar 13")
    expect(labels).to_have_count(1)
    watched.assert_clean()


def test_city_level_points_fit_at_a_readable_zoom_in_counted_clusters(open_page) -> None:
    watched = open_page("/page/city")
    page = watched.page
    assert texts_on_map(page) == 154
    assert clusters(page).count() == 5, "one bubble per district, not one blob"
    assert tile_zoom(page) >= 12, "the map should show the city's districts"
    expect(clusters(page).first).to_have_text(re.compile(r"^\d+$"))
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution.get_by_role("link", name="GeoNames")).to_be_visible()
    watched.assert_clean()


def test_a_marker_popup_shows_its_text_label_time_and_link(open_page, harness: Harness) -> None:
    watched = open_page("/page/lone")
    page = watched.page
    expect(markers(page)).to_have_count(1)
    markers(page).click()
    popup = page.locator(".leaflet-popup-content")
    text = popup.locator(".dash-popup-text")
    expect(text).to_have_text("<img src=x data-injected=1> great screen")
    expect(page.locator("img[data-injected]")).to_have_count(0)
    expect(popup.locator(".dash-popup-meta")).to_have_text("Joy · Mar 4, 2026, 09:30 UTC")
    link = popup.get_by_role("link", name="Open the text")
    expect(link).to_have_attribute("href", "/texts/1")
    watched.assert_clean()
