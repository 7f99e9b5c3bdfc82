"""The dashboard's timeline in a real browser: counts and shares, lone days as bars, dense days
as areas, its tooltip."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dashboard_view import (
    COLOURS,
    chart_svg,
    expect_charts,
    show_timeline_tip,
    timeline_axis_labels,
)

pytestmark = pytest.mark.browser


def test_timeline_shows_counts_and_shares_on_request(open_page) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    counts = page.get_by_role("button", name="Counts")
    share = page.get_by_role("button", name="Share (%)")
    expect(counts).to_have_attribute("aria-pressed", "true")
    assert not any(label.endswith("%") for label in timeline_axis_labels(page))
    assert max(int(label) for label in timeline_axis_labels(page) if label.isdigit()) > 12
    share.click()
    expect(share).to_have_attribute("aria-pressed", "true")
    expect(chart_svg(page, "timeline").locator("text", has_text="100%")).to_have_count(1)
    counts.click()
    expect(chart_svg(page, "timeline").locator("text", has_text="100%")).to_have_count(0)
    assert page.evaluate(SERIES_TYPES) == ["line"]  # 30 busy days: areas
    watched.assert_clean()


SERIES_TYPES = """() => [...new Set(echarts.getInstanceByDom(
    document.querySelector('[data-chart=timeline]')).getOption().series.map(s => s.type))]"""


# What is drawn just above the axis on each day with texts (a step inside the first and last).
FILLS_ABOVE_THE_AXIS = """() => [[1, 3], [15, 0], [30, -3]].map(([day, inside]) => {
    const box = document.querySelector('[data-chart=timeline]');
    const [x, y] = echarts.getInstanceByDom(box)
        .convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [day - 1, 0]);
    const where = box.getBoundingClientRect();
    const shape = document.elementFromPoint(where.left + x + inside, where.top + y - 4);
    return shape && shape.getAttribute('fill');
})"""


def test_timeline_draws_lone_days_under_a_filter(open_page, artifacts_dir: Path) -> None:
    watched = open_page("/page/filtered")
    page = watched.page
    expect_charts(page)
    # days 1, 15 and 30 have texts (the entry animation grows the areas from the axis)
    page.wait_for_function(f"() => ({FILLS_ABOVE_THE_AXIS})().every(f => f === '{COLOURS['joy']}')")
    assert page.evaluate(SERIES_TYPES) == ["bar"]  # 4 texts over 30 days: bars, not slopes
    page.screenshot(path=artifacts_dir / "timeline-filtered.png")
    watched.assert_clean()


def test_timeline_tooltip_lists_only_the_labels_there(open_page) -> None:
    watched = open_page("/page/filtered")
    page = watched.page
    expect_charts(page)
    tip = show_timeline_tip(page, 0)
    expect(tip.locator(".dash-tip-row")).to_have_count(1)
    expect(tip.locator(".dash-tip-row")).to_have_text("Joy1 (100%)")
    expect(tip.locator(".dash-tip-muted")).to_have_text("1 text")
    tip = show_timeline_tip(page, 14)
    expect(tip.locator(".dash-tip-muted")).to_have_text("2 texts")
    tip = show_timeline_tip(page, 1)
    expect(tip.locator(".dash-tip-muted")).to_have_text("No texts in this period.")
    watched.assert_clean()


def test_annotations_are_lines_on_the_timeline(open_page) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    timeline = chart_svg(page, "timeline")
    expect(timeline.locator("text", has_text="New timetable on every tram…")).to_have_count(1)
    expect(timeline.locator("text", has_text="Spring fares")).to_have_count(0)
    lines = page.evaluate(ANNOTATION_LINES)
    # one line per day: 10 March's two notes share one, labelled with the first and a count
    assert lines == [[9, "New timetable on every tram line; Strike"], [10, "Snow"]]
    expect(timeline.locator("text", has_text="New timetable on every tram… +1")).to_have_count(1)
    # the next day's label stands beside it (written along its line), not over it
    first, second = (timeline.locator("text", has_text=note) for note in ("New timetable", "Snow"))
    assert first.bounding_box()["x"] + first.bounding_box()["width"] <= second.bounding_box()["x"]
    expect(page.locator('[data-chart="timeline"]')).to_have_attribute(
        "aria-label",
        re.compile(
            r"Annotations: Mar 10, 2026, 06:00 UTC: New timetable on every tram line; "
            r"Mar 10, 2026, 18:00 UTC: Strike; Mar 11, 2026, 09:00 UTC: Snow\.$"
        ),
    )
    watched.assert_clean()


ANNOTATION_LINES = """() => echarts
    .getInstanceByDom(document.querySelector('[data-chart=timeline]'))
    .getOption().series[0].markLine.data.map(line => [line.xAxis, line.name])"""
