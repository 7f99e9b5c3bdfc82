"""The dashboard and job-progress scripts in a real browser, against a throwaway harness.

A tiny Flask app (in a thread of the test process) renders the real `datasets/_charts.html`
partial and serves the real static files, a fake `summary.json` per scenario, fake job JSON and
same-origin map tiles, all under the production Content-Security-Policy. The tests assert what
a person sees and that no script error or CSP violation occurs.
"""

import json
import random
import re
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask, Response, abort, render_template_string, request
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from werkzeug.serving import make_server

from emolytics.pipeline.analysed_by import AnalysedBy
from emolytics.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.browser

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "emolytics"
LABELS = ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
COLOURS = {"anger": "#d1362f", "joy": "#f0ad1a", "sadness": "#2f6db5"}
CHARTS = ["distribution", "timeline", "keywords", "terms"]
TRAINED = AnalysedBy("Support tickets", ["positive", "negative", "joy"], emotions=False)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OFFLINE_TILES = "http://tiles.invalid"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness</title>
<link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
</head><body><main><h1>Phone reviews</h1>{% include "datasets/_charts.html" %}</main></body></html>
"""
JOB_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Job</title>
<link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='dashboard.css') }}">
</head><body><main>
<div class="job-progress" data-job-url="/jobs/{{ job }}.json" data-done-url="/finished">
  <progress max="1" value="0"></progress> <span class="job-progress-text">Waiting…</span>
</div>
<script src="{{ url_for('static', filename='js/job.js') }}" defer></script>
</main></body></html>
"""

# The shape of templates/datasets/_job.html: a status word, a text span, an error line, a form.
BACKEND_JOB_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Job</title>
<link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='dashboard.css') }}">
</head><body><main>
<div class="job-progress card" data-job-url="/jobs/{{ job }}.json" data-done-url="/finished">
  <p><strong>Analysis</strong>: <span class="job-status">queued</span></p>
  <progress max="1" value="0">0%</progress>
  <span class="job-text">0 of 0 (0%)</span>
  <form class="inline" method="post" action="/cancel"><button type="submit">Cancel</button></form>
</div>
<script src="{{ url_for('static', filename='js/job.js') }}" defer></script>
<script src="{{ url_for('static', filename='js/job.js') }}" defer></script>
</main></body></html>
"""


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A 1x1 PNG of one colour (a map tile; Leaflet stretches it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _summary(scenario: str) -> dict[str, Any]:
    rng = random.Random(7)
    labels = ["positive", "negative", "joy"] if scenario == "custom" else LABELS
    points = []
    for day in range(1, 31):
        if day in (12, 13):
            continue  # a gap: the chart fills empty days itself
        points.append(
            {
                # the report writes SQLite's "YYYY-MM-DD HH:MM:SS" with a Z: accept both forms
                "t": f"2026-03-{day:02d}{' ' if day % 2 else 'T'}00:00:00Z",
                "counts": {label: rng.randint(0, 12) for label in labels},
            }
        )
    keywords = ["battery", "screen", "camera", "price", "<b>bold</b> & co", "delivery"]
    cities = [(51.5, -0.12), (48.85, 2.35), (40.71, -74.0), (35.68, 139.69), (-33.87, 151.2)]
    map_points = [
        [lat + rng.uniform(-1, 1), lng + rng.uniform(-1, 1), rng.choice(labels)]
        for lat, lng in cities
        for _ in range(8)
    ]
    map_points = [[*point, text_id] for text_id, point in enumerate(map_points, start=1)]
    words = ["love", "great", "😍", "awful", "broken", "😡", "slow", "wow", "fine", "meh"]
    counts = {label: rng.randint(10, 120) for label in labels}
    summary: dict[str, Any] = {
        "dataset": {"id": 3, "name": "Phone reviews / 2026", "row_count": 500},
        "labels": labels,
        "analysed": sum(counts.values()),
        "distribution": [{"label": label, "count": counts[label]} for label in labels],
        "timeline": {"bucket": "day", "points": points},
        "keywords": [
            {
                "keyword": keyword,
                "total": 0,
                "counts": {label: rng.randint(0, 20) for label in labels},
            }
            for keyword in keywords
        ],
        "terms": {
            label: [
                {"term": term, "weight": (weight := round(rng.uniform(1, 15), 2)), "lift": weight}
                for term in rng.sample(words, 6)
            ]
            for label in labels
        },
        "map": {"points": map_points, "geotagged": 55, "shown": len(map_points)},
    }
    for row in summary["keywords"]:
        row["total"] = sum(row["counts"].values())
    if scenario == "custom":
        summary["model"] = {"name": "Support tickets", "emotions": False, "noun": "label"}
    if scenario == "crowded":
        summary["map"]["points"] = [
            [rng.uniform(-60, 70), rng.uniform(-170, 170), rng.choice(labels), text_id]
            for text_id in range(1, 1501)
        ]
        summary["map"].update(geotagged=1500, shown=1500)
    if scenario == "city":  # 154 texts with a city's coordinates, in five districts of Berlin
        districts = [(52.52, 13.405), (52.5, 13.42), (52.54, 13.39), (52.51, 13.37), (52.49, 13.44)]
        summary["map"]["points"] = [
            [*districts[text_id % 5], rng.choice(labels), text_id] for text_id in range(1, 155)
        ]
        summary["map"].update(geotagged=154, shown=154)
    if scenario == "lone":
        summary["map"].update(points=[[48.85, 2.35, "joy", 1]], geotagged=1, shown=1)
    if scenario == "filtered":  # ?label=joy: joy alone, on three days a fortnight apart
        summary["timeline"]["points"] = [
            {"t": f"2026-03-{day:02d}T00:00:00Z", "counts": {"joy": count}}
            for day, count in ((1, 1), (15, 2), (30, 1))
        ]
    if scenario == "nomap":
        summary["map"] = {"points": [], "geotagged": 0, "shown": 0}
        summary["timeline"]["points"] = []
        summary["keywords"] = []
    if scenario == "empty":
        summary.update(analysed=0, distribution=[{"label": x, "count": 0} for x in labels])
        summary["timeline"]["points"] = []
        summary["map"] = {"points": [], "geotagged": 0, "shown": 0}
    return summary


@dataclass
class Harness:
    url: str
    job_requests: dict[int, int] = field(default_factory=dict)


def _job(job_id: int, calls: int) -> dict[str, Any]:
    """Job 1 runs to done in steps of 1,000; job 2 fails and job 3 is cancelled after one step;
    job 4 analyses one text and stays at none done."""
    total = 1 if job_id == 4 else 3000
    done = 0 if job_id == 4 else min(total, 1000 * calls)
    status = "running"
    error = None
    if job_id == 1 and done >= total:
        status = "done"
    elif job_id in (2, 3) and calls > 1:
        status = "failed" if job_id == 2 else "cancelled"
        error = "Worker crashed: <out of memory>" if job_id == 2 else None
    return {
        "id": job_id,
        "kind": "analysis",
        "status": status,
        "done": done,
        "total": total,
        "error": error,
        "dataset_id": 3,
    }


# The texts behind the map's markers, as `datasets.text_json` answers: text 1 tries markup.
def _text(text_id: int) -> dict[str, Any]:
    return {
        "id": text_id,
        "text": "<img src=x data-injected=1> great screen" if text_id == 1 else f"text {text_id}",
        "label": "joy",
        "posted_at": "2026-03-04T09:30:00Z",
        "url": f"/texts/{text_id}",
    }


def _harness_app(state: Harness) -> Flask:
    app = Flask(
        "dashboard_harness",
        static_folder=str(PACKAGE / "static"),
        template_folder=str(PACKAGE / "templates"),
    )

    @app.after_request
    def headers(response: Response) -> Response:
        policy = CONTENT_SECURITY_POLICY
        if request.args.get("tiles") == "offline":  # what the backend adds for a tile host
            policy = policy.replace("img-src 'self' data:", f"img-src 'self' data: {OFFLINE_TILES}")
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.get("/page/<scenario>")
    def page(scenario: str) -> str:
        offline = request.args.get("tiles") == "offline"
        return render_template_string(
            PAGE,
            summary_url=f"/summary/{scenario}.json?label=&q=",
            text_url="/texts/{id}.json",
            tile_url=(OFFLINE_TILES if offline else "") + "/tiles/{z}/{x}/{y}.png",
            tile_attribution='&copy; <a href="https://www.openstreetmap.org/copyright">'
            "OpenStreetMap</a> contributors<script>alert(1)</script>",
            **({"model": TRAINED} if scenario == "custom" else {}),
        )

    @app.get("/summary/<scenario>.json")
    def summary(scenario: str) -> Response:
        if scenario == "broken":
            abort(500)
        return Response(json.dumps(_summary(scenario)), mimetype="application/json")

    @app.get("/texts/<int:text_id>.json")
    def text(text_id: int) -> Response:
        return Response(json.dumps(_text(text_id)), mimetype="application/json")

    @app.get("/tiles/<int:z>/<int:x>/<int:y>.png")
    def tile(z: int, x: int, y: int) -> Response:
        return Response(_png((0xDD, 0xE6, 0xEE)), mimetype="image/png")

    @app.get("/jobs/<int:job_id>.json")
    def job(job_id: int) -> Response:
        state.job_requests[job_id] = state.job_requests.get(job_id, 0) + 1
        body = _job(job_id, state.job_requests[job_id])
        return Response(json.dumps(body), mimetype="application/json")

    @app.get("/job-page/<int:job_id>")
    def job_page(job_id: int) -> str:
        return render_template_string(JOB_PAGE, job=job_id)

    @app.get("/backend-job-page/<int:job_id>")
    def backend_job_page(job_id: int) -> str:
        return render_template_string(BACKEND_JOB_PAGE, job=job_id)

    @app.get("/finished")
    def finished() -> str:
        return "<!doctype html><title>Done</title><h1>Results</h1>"

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    return app


@pytest.fixture(scope="module")
def harness(chromium_executable: Path) -> Iterator[Harness]:
    state = Harness(url="")
    server = make_server("127.0.0.1", 0, _harness_app(state), threaded=True)
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class Watched:
    page: Page
    errors: list[str]

    def assert_clean(self, allow: Callable[[str], bool] = lambda message: False) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], f"CSP violations: {violations}"
        unexpected = [message for message in self.errors if not allow(message)]
        assert unexpected == [], f"console errors or page errors: {unexpected}"


@pytest.fixture
def open_page(chromium: Browser, harness: Harness) -> Iterator[Callable[..., Watched]]:
    contexts: list[BrowserContext] = []

    def open_(path: str, viewport: dict[str, int] = DESKTOP, **options: Any) -> Watched:
        context = chromium.new_context(
            base_url=harness.url, viewport=viewport, accept_downloads=True, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        context.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', (event) =>"
            " window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
        )
        page = context.new_page()
        errors: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                errors.append(f"console.{message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        page.goto(path)
        return Watched(page, errors)

    yield open_
    for context in contexts:
        context.close()


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


def test_no_coordinates_shows_a_note_instead_of_a_map(open_page) -> None:
    watched = open_page("/page/nomap")
    page = watched.page
    expect(chart_svg(page, "distribution")).to_have_count(1)
    note = page.locator('[data-placeholder="map"]')
    expect(note).to_be_visible()
    expect(note).to_have_text("No texts in this view carry coordinates.")
    expect(page.locator('[data-role="map"]')).to_be_hidden()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    expect(page.locator('[data-placeholder="timeline"]')).to_have_text(
        "No texts in this view carry a timestamp."
    )
    expect(page.locator('[data-card="timeline"] [data-download="png"]')).to_be_disabled()
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


def test_job_progress_counts_up_then_follows_the_done_url(open_page, harness: Harness) -> None:
    harness.job_requests.pop(1, None)
    watched = open_page("/job-page/1")
    page = watched.page
    text = page.locator(".job-progress-text")
    expect(text).to_have_text("1,000 of 3,000 texts analysed (33%)")
    expect(page.locator("progress")).to_have_js_property("value", 1000)
    expect(page.locator("progress")).to_have_js_property("max", 3000)
    expect(text).to_have_text("2,000 of 3,000 texts analysed (66%)")
    expect(page).to_have_url(f"{harness.url}/finished")
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    watched.assert_clean()


def test_job_progress_of_one_text_says_text(open_page, harness: Harness) -> None:
    watched = open_page("/job-page/4")
    expect(watched.page.locator(".job-progress-text")).to_have_text("0 of 1 text analysed (0%)")
    watched.assert_clean()


@pytest.mark.parametrize(
    ("job_id", "message", "state"),
    [
        (2, "Analysis failed: Worker crashed: <out of memory>", "is-failed"),
        (3, "Analysis was cancelled.", "is-cancelled"),
    ],
)
def test_job_progress_stops_when_the_job_ends(
    open_page, harness: Harness, job_id: int, message: str, state: str
) -> None:
    harness.job_requests.pop(job_id, None)
    watched = open_page(f"/job-page/{job_id}")
    page = watched.page
    expect(page.locator(".job-progress-text")).to_have_text(message)
    expect(page.locator(".job-progress")).to_have_class(f"job-progress {state}")
    requests = harness.job_requests[job_id]
    page.wait_for_timeout(2_500)
    assert harness.job_requests[job_id] == requests, "polling should stop once the job ended"
    assert page.url == f"{harness.url}/job-page/{job_id}"
    watched.assert_clean()


def test_job_progress_in_the_backend_markup(open_page, harness: Harness) -> None:
    """job.js loaded twice (macro and partial) still polls once; the failure fills the box."""
    harness.job_requests.pop(2, None)
    watched = open_page("/backend-job-page/2")
    page = watched.page
    expect(page.locator(".job-text")).to_have_text("1,000 of 3,000 texts analysed (33%)")
    expect(page.locator(".job-status")).to_have_text("running")
    failure = "Analysis failed: Worker crashed: <out of memory>"
    expect(page.locator(".job-text")).to_have_text(failure)
    expect(page.locator(".job-status")).to_have_text("failed")
    expect(page.get_by_role("button", name="Cancel")).to_be_hidden()
    page.wait_for_timeout(1_500)
    assert harness.job_requests[2] == 2, "one poller, stopped after the failure"
    watched.assert_clean()


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
    watched.assert_clean()


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
