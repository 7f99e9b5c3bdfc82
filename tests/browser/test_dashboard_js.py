"""The dashboard and job-progress scripts in a real browser, against a throwaway harness.

A tiny Flask app (in a thread of the test process) renders the real `datasets/_charts.html`
partial and serves the real static files, a fake `summary.json` per scenario, fake job JSON and
same-origin map tiles, all under the production Content-Security-Policy. The tests assert what
a person sees and that no script error or CSP violation occurs.
"""

import json
import random
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

from emolytics.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.browser

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "emolytics"
LABELS = ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
COLOURS = {"anger": "#d1362f", "joy": "#f0ad1a", "sadness": "#2f6db5"}
CHARTS = ["distribution", "timeline", "keywords", "terms"]
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
                {"term": term, "weight": round(rng.uniform(1, 15), 2)}
                for term in rng.sample(words, 6)
            ]
            for label in labels
        },
        "map": {"points": map_points, "geotagged": 55, "shown": len(map_points)},
    }
    for row in summary["keywords"]:
        row["total"] = sum(row["counts"].values())
    if scenario == "crowded":
        summary["map"]["points"] = [
            [rng.uniform(-60, 70), rng.uniform(-170, 170), rng.choice(labels)] for _ in range(1500)
        ]
        summary["map"].update(geotagged=1500, shown=1500)
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
    """Job 1 runs to done in steps of 1,000; job 2 fails and job 3 is cancelled after one step."""
    total = 3000
    done = min(total, 1000 * calls)
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
            tile_url=(OFFLINE_TILES if offline else "") + "/tiles/{z}/{x}/{y}.png",
            tile_attribution='&copy; <a href="https://www.openstreetmap.org/copyright">'
            "OpenStreetMap</a> contributors<script>alert(1)</script>",
        )

    @app.get("/summary/<scenario>.json")
    def summary(scenario: str) -> Response:
        if scenario == "broken":
            abort(500)
        return Response(json.dumps(_summary(scenario)), mimetype="application/json")

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


def test_dashboard_draws_every_chart_and_the_map(open_page, artifacts_dir: Path) -> None:
    watched = open_page("/page/full")
    page = watched.page
    expect_charts(page)
    expect(page.get_by_role("status").first).to_contain_text("analysed texts in this view")
    expect(page.locator('[data-card="distribution"] svg text', has_text="Joy")).to_have_count(1)
    expect(markers(page)).to_have_count(40)
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
    expect(markers(page)).to_have_count(40)
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
    expect(markers(page)).to_have_count(40)
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


def test_crowded_maps_draw_markers_on_a_canvas(open_page) -> None:
    watched = open_page("/page/crowded")
    page = watched.page
    expect(page.locator('[data-role="map"] canvas.leaflet-zoom-animated')).to_have_count(1)
    expect(markers(page)).to_have_count(0)
    expect(page.locator('[data-role="map-note"]')).to_have_text("1,500 geotagged texts.")
    # the timeline got both timestamp forms and filled the two missing days
    labels = chart_svg(page, "timeline").locator("text", has_text="Mar 13")
    expect(labels).to_have_count(1)
    watched.assert_clean()
