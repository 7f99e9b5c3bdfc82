"""The dashboard script draws every chart in a real browser: colours, downloads, layouts, states."""

import re
import struct
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from tests.browser.dashboard_harness import PNG_SIGNATURE
from tests.browser.dashboard_view import (
    CHARTS,
    COLOURS,
    PHONE,
    chart_svg,
    expect_charts,
    markers,
    texts_on_map,
)

pytestmark = pytest.mark.browser


def test_dashboard_draws_every_chart_and_the_map(open_page, artifacts_dir: Path) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    expect(page.get_by_role("status").first).to_contain_text("analysed texts in this view")
    expect(page.locator('[data-card="distribution"] svg text', has_text="Joy")).to_have_count(1)
    assert texts_on_map(page) == 40
    expect(page.locator('[data-role="map-legend"] li')).to_have_count(7)
    expect(page.locator('[data-role="map-note"]')).to_have_text(
        "Showing the newest 40 of 55 geotagged texts."
    )
    # the configured attribution keeps its link but not its script
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution.get_by_role("link", name="OpenStreetMap")).to_be_visible()
    expect(attribution.locator("script")).to_have_count(0)
    expect(attribution).not_to_contain_text("GeoNames")  # no place column
    expect(attribution).not_to_contain_text("alert")
    page.wait_for_timeout(800)  # let the entry animations finish before the screenshot
    page.screenshot(path=artifacts_dir / "dashboard-desktop.png", full_page=True)
    watched.assert_clean()


def test_one_colour_per_emotion_in_charts_and_map(open_page) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    assert texts_on_map(page) == 40
    for label, colour in COLOURS.items():
        for name in CHARTS:
            expect(chart_svg(page, name).locator(f'path[fill="{colour}"]').first).to_be_attached()
        legend = page.locator('[data-role="map-legend"] li', has_text=label.capitalize())
        swatch_colour = legend.locator(".dash-swatch").evaluate(
            "element => getComputedStyle(element).backgroundColor"
        )
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert swatch_colour == f"rgb({red}, {green}, {blue})"
    map_fills = set(markers(page).evaluate_all("paths => paths.map(p => p.getAttribute('fill'))"))
    assert map_fills <= {
        "#d1362f",
        "#6f8a1f",
        "#7b4bb0",
        "#f0ad1a",
        "#2f6db5",
        "#159a94",
        "#8b93a1",
    }
    watched.assert_clean()


def test_top_terms_are_written_whole_on_a_desktop(open_page) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    labels = chart_svg(page, "terms").locator("text")
    shown = set(labels.all_text_contents())
    assert {"embarrassing", "embarrassed"} <= shown, shown  # not both "embarrassi…"
    assert not [label for label in shown if label.endswith(("…", "..."))]
    watched.assert_clean()


def test_unknown_labels_get_fallback_colours(open_page) -> None:
    watched = open_page("/page/custom")
    page = watched.page
    expect_charts(page)
    bars = chart_svg(page, "distribution").locator("path[fill]")
    fills = set(bars.evaluate_all("paths => paths.map(p => p.getAttribute('fill'))"))
    assert {"#f0ad1a", "#e377c2", "#8c564b"} <= fills  # joy, then the palette in label order
    watched.assert_clean()


@pytest.mark.parametrize("chart", ["distribution", "timeline", "keywords", "terms"])
def test_downloads_png_and_svg(open_page, chart: str, tmp_path: Path) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    card = page.locator(f'[data-card="{chart}"]')
    box = page.locator(f'[data-chart="{chart}"]').bounding_box()
    assert box is not None

    with page.expect_download() as svg_download:
        card.get_by_role("button", name="Download SVG").click()
    svg = svg_download.value
    assert svg.suggested_filename == f"phone-reviews-2026-{chart}.svg"
    svg_path = tmp_path / svg.suggested_filename
    svg.save_as(svg_path)
    text = svg_path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in text
    root = ElementTree.fromstring(text)  # well-formed XML, or an image viewer refuses it
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<path" in text

    with page.expect_download() as png_download:
        card.get_by_role("button", name="Download PNG").click()
    png = png_download.value
    assert png.suggested_filename == f"phone-reviews-2026-{chart}.png"
    png_path = tmp_path / png.suggested_filename
    png.save_as(png_path)
    data = png_path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (round(box["width"] * 2), round(box["height"] * 2))
    assert len(data) > 5_000, "the PNG looks blank"
    watched.assert_clean()


def test_phone_layout_stacks_cards_without_sideways_scroll(open_page, artifacts_dir: Path) -> None:
    watched = open_page("/page/full", viewport=PHONE, is_mobile=True, has_touch=True)
    page = watched.page
    expect_charts(page)
    cards = page.locator(".dash-card")
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert all(box is not None for box in boxes)
    assert len({round(box["x"]) for box in boxes}) == 1, "cards should sit in one column"
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(boxes, boxes[1:], strict=False))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    for name in CHARTS:
        svg_box = chart_svg(page, name).bounding_box()
        assert svg_box is not None and svg_box["x"] + svg_box["width"] <= PHONE["width"]
    page.wait_for_timeout(800)
    page.screenshot(path=artifacts_dir / "dashboard-phone.png", full_page=True)
    watched.assert_clean()


def test_charts_follow_window_resizes(open_page) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    before = chart_svg(page, "distribution").bounding_box()
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-chart=distribution]');"
        " const s = c.querySelector('svg');"
        " return Math.abs(s.getBoundingClientRect().width - c.clientWidth) < 2; }"
    )
    after = chart_svg(page, "distribution").bounding_box()
    # two columns at 1280 px, one at 700 px: the card gets wider, and the chart with it
    assert before is not None and after is not None and after["width"] > before["width"] + 50
    watched.assert_clean()


def test_tooltips_show_names_as_text(open_page) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    chart = page.locator('[data-chart="keywords"]')
    label = chart.locator("svg text", has_text="bold")
    box = label.bounding_box()
    assert box is not None
    chart.hover(position={"x": 260, "y": box["y"] - chart.bounding_box()["y"] + box["height"] / 2})
    tip = chart.locator(".dash-tip")
    expect(tip).to_be_visible()
    expect(tip.locator(".dash-tip-title")).to_have_text("<b>bold</b> & co")
    expect(tip.locator("b")).to_have_count(0)
    watched.assert_clean()


def test_nothing_analysed_shows_the_empty_state(open_page) -> None:
    watched = open_page("/page/empty")
    page = watched.page
    expect(page.get_by_role("heading", name="Nothing to chart yet")).to_be_visible()
    expect(page.locator('[data-role="grid"]')).to_be_hidden()
    expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "false")
    watched.assert_clean()


def test_a_failed_summary_request_is_reported(open_page) -> None:
    watched = open_page("/page/broken")
    page = watched.page
    status = page.locator('[data-role="status"]')
    expect(status).to_have_text("The dashboard data could not be loaded (HTTP 500).")
    expect(status).to_have_class("dash-status is-error")
    watched.assert_clean(allow=lambda message: "status of 500" in message)


def test_a_trained_model_is_named_and_its_labels_are_labels(open_page) -> None:
    watched = open_page("/page/custom")
    page = watched.page
    expect_charts(page)
    expect(page.locator('[data-role="analysed-by"]')).to_have_text(
        "Labels from the model “Support tickets”."
    )
    for title in ["Label distribution", "Labels over time", "Labels by keyword"]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("heading", name="Top words and emoji per label")).to_be_visible()
    expect(page.get_by_text("emotion")).to_have_count(0)
    distribution = page.locator('[data-chart="distribution"]')
    expect(distribution).to_have_attribute("aria-label", re.compile(r"^Label distribution: "))
    watched.assert_clean()
