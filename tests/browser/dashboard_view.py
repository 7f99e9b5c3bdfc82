"""The dashboard as a person sees it in the browser: viewports, colours, charts, map, tooltips."""

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect

COLOURS = {"anger": "#d1362f", "joy": "#f0ad1a", "sadness": "#2f6db5"}
CHARTS = ["distribution", "timeline", "keywords", "terms"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Watched:
    page: Page
    errors: list[str]

    def assert_clean(self, allow: Callable[[str], bool] = lambda message: False) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], f"CSP violations: {violations}"
        unexpected = [message for message in self.errors if not allow(message)]
        assert unexpected == [], f"console errors or page errors: {unexpected}"


def chart_svg(page: Page, name: str):
    return page.locator(f'[data-chart="{name}"] svg')


def expect_charts(page: Page) -> None:
    for name in CHARTS:
        expect(chart_svg(page, name)).to_have_count(1)
    expect(page.locator('[data-card="distribution"] [data-download="png"]')).to_be_enabled()


def markers(page: Page):
    return page.locator('[data-role="map"] path.leaflet-interactive')


def clusters(page: Page):
    return page.locator('[data-role="map"] .marker-cluster')


def texts_on_map(page: Page) -> int:
    """The markers drawn alone plus the counts their clusters show."""
    expect(clusters(page).or_(markers(page)).first).to_be_attached()
    shown = clusters(page).evaluate_all("bubbles => bubbles.map(b => Number(b.textContent))")
    return markers(page).count() + sum(shown)


def tile_zoom(page: Page) -> int:
    tile = page.locator('[data-role="map"] img.leaflet-tile').first
    expect(tile).to_be_attached()
    return int(tile.get_attribute("src").split("/")[2])


def show_timeline_tip(page: Page, index: int):
    """The timeline's tooltip for bucket `index`, shown as a hover would."""
    page.evaluate(
        "index => echarts.getInstanceByDom(document.querySelector('[data-chart=timeline]'))"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: index})",
        index,
    )
    tip = page.locator('[data-chart="timeline"] .dash-tip')
    expect(tip).to_be_visible()
    return tip


def timeline_axis_labels(page: Page) -> list[str]:
    texts = chart_svg(page, "timeline").locator("text")
    return [text.strip() for text in texts.all_text_contents()]
