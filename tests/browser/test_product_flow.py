"""The whole product flow in a real browser, against the live `emolytics run` server.

Upload a CSV whose text column cannot be guessed from its name, map the columns in the preview,
watch the analysis progress, see the charts and the map, filter, open one text and export the
results; and another user must not see any of it. Console errors and CSP violations fail the
test, except the map tiles, which are made unreachable on purpose (as on an offline server).
"""

import csv
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response, expect

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture

PASSWORD = "harbour-lantern-5521"
DESKTOP = {"width": 1280, "height": 900}
TILE_HOST = "tile.openstreetmap.org"  # the default TILE_URL; never reached from the tests
GENERATED_ROWS = 20_000
CHARTS = ["distribution", "timeline", "keywords", "terms"]
KEYWORDS = "tram, delays, staff"
EXPORT_HEADER = [
    "id",
    "line",
    "text",
    "posted_at",
    "author",
    "lat",
    "lon",
    "language",
    "label",
    "model_label",
    "corrected",
    "valence",
]
LABELS = ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
MIN_SCREENSHOT_BYTES = 5_000
DATASET_NAME = "Rider comments, March"
UPLOAD_TIMEOUT = 60_000  # ms; the upload request imports every row before it answers
ANALYSIS_TIMEOUT = 90_000  # ms

# Hand-written rows, easy to find again. The formula must come out of the export inert.
FORMULA_TEXT = "=SUM(A1:A9) I hate this"
SEARCH_WORD = "zeppelin"
SEARCH_TEXT = "The zeppelin tour was wonderful, I love it and I am so happy, best day of the year!"
MARKUP_TEXT = "<b>quokka</b> <script>alert(1)</script> awful, disgusting, I am furious"
HANDWRITTEN = [FORMULA_TEXT, SEARCH_TEXT, MARKUP_TEXT]

OPENINGS = ["", "Honestly, ", "Today ", "Again: ", "Well, ", "So ", "Wow, "]
SUBJECTS = [
    "the tram",
    "the new app",
    "the staff",
    "the delays",
    "the tickets",
    "the station",
    "the driver",
    "the timetable",
]
FEELINGS = [
    "is great, I love it",
    "made me so happy",
    "is awful and I am furious",
    "makes me angry every morning",
    "is disgusting, gross",
    "scares me, I am afraid",
    "is terrifying at night",
    "makes me sad, I miss the old one",
    "left me lonely and miserable",
    "surprised me, wow, unexpected",
    "was shocking, I did not expect that",
    "is fine I guess",
    "runs at nine on weekdays",
]
ENDINGS = ["", "!", ".", " :)", " :(", " 😡", " 😍", " #tram", " 😢"]
CITIES = [(52.52, 13.40), (48.14, 11.58), (53.55, 9.99), (50.94, 6.96)]


# --- the CSV ------------------------------------------------------------------------------------


@dataclass
class Upload:
    path: Path
    rows: int
    geotagged: int

    def line_of(self, text: str) -> int:
        """The file line of a hand-written text (the header is line 1)."""
        return self.rows - len(HANDWRITTEN) + 2 + HANDWRITTEN.index(text)


def write_csv(path: Path, generated: int, seed: int = 11) -> Upload:
    """`generated` varied rows over three weeks, ~30% with coordinates, then the hand-written
    rows; the header names nothing the upload page can guess except latitude and longitude."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    geotagged = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["remark", "when", "who", "latitude", "longitude"])
        for index in range(generated):
            text = (
                rng.choice(OPENINGS)
                + f"{rng.choice(SUBJECTS)} {rng.choice(FEELINGS)}{rng.choice(ENDINGS)}"
            )
            when = start + timedelta(seconds=rng.randrange(21 * 86400))
            lat = lon = ""
            if rng.random() < 0.3:
                city_lat, city_lon = rng.choice(CITIES)
                lat = f"{city_lat + rng.uniform(-0.2, 0.2):.5f}"
                lon = f"{city_lon + rng.uniform(-0.3, 0.3):.5f}"
                geotagged += 1
            writer.writerow([text, when.isoformat(), f"rider{index % 500}", lat, lon])
        for text in HANDWRITTEN:
            writer.writerow([text, "2026-03-10T12:00:00Z", "handwritten", "", ""])
    return Upload(path, generated + len(HANDWRITTEN), geotagged)


# --- watching the browser -----------------------------------------------------------------------

CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCsp(`${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`);
});
"""


def _is_tile_failure(message: ConsoleMessage) -> bool:
    """A failed map-tile load: the only console error an offline server may show."""
    location = message.location.get("url", "") if message.location else ""
    return message.text.startswith("Failed to load resource") and TILE_HOST in location


@dataclass
class Watch:
    """Console errors, page errors, dialogs and CSP violations of every page of a context."""

    errors: list[str] = field(default_factory=list)
    tile_failures: int = 0
    violations: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.expose_binding("__reportCsp", lambda source, text: self.violations.append(text))
        context.add_init_script(CSP_REPORTER)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.errors.append(f"pageerror: {error.error}"))
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if _is_tile_failure(message):
            self.tile_failures += 1
        else:
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def assert_clean(self) -> None:
        assert self.violations == [], f"CSP violations: {self.violations}"
        assert self.errors == [], f"console or page errors: {self.errors}"
        assert self.dialogs == [], f"unexpected dialogs (script injection?): {self.dialogs}"


def offline_tiles(context: BrowserContext) -> None:
    """The tile server answers nothing, as on a server without internet access."""
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort("namenotresolved"))


# --- small helpers ------------------------------------------------------------------------------


def unique_username(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def register(page: Page, server_url: str, username: str) -> None:
    page.goto("/register")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(f"{server_url}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {username}")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def view_counts(page: Page) -> tuple[int, int]:
    """(texts in this view, texts in the dataset) from the dashboard's status line."""
    status = page.locator('#dashboard [data-role="status"]')
    expect(status).to_contain_text("in this view")
    found = re.fullmatch(
        r"([\d,]+) analysed texts? in this view \(the dataset has ([\d,]+)\)\.",
        status.inner_text().strip(),
    )
    assert found, f"unexpected dashboard status: {status.inner_text()!r}"
    return number(found[1]), number(found[2])


def expect_charts(page: Page) -> None:
    expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "false")
    expect(page.locator("[data-chart]")).to_have_count(len(CHARTS))
    for name in CHARTS:
        expect(page.locator(f'[data-chart="{name}"] svg')).to_have_count(1)
        expect(page.locator(f'[data-placeholder="{name}"]')).to_be_hidden()


MAP_MARKERS = """() => {
  const map = document.querySelector('[data-role="map"]');
  const alone = map.querySelectorAll("path.leaflet-interactive").length;
  const bubbles = [...map.querySelectorAll(".marker-cluster")].map((b) => Number(b.textContent));
  return { alone, clustered: bubbles.reduce((total, count) => total + count, 0) };
}"""


def expect_markers(page: Page) -> None:
    """Leaflet circle markers, alone or gathered into bubbles that show their count."""
    shown = f"() => {{ const m = ({MAP_MARKERS})(); return m.alone + m.clustered; }}"
    page.wait_for_function(shown)
    markers = page.evaluate(MAP_MARKERS)
    assert markers["alone"] + markers["clustered"] > 0, f"no visible markers: {markers}"


def screenshot(page: Page, path: Path, *, full_page: bool = False) -> None:
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size >= MIN_SCREENSHOT_BYTES, f"{path} looks blank"


def read_export(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def export_csv(page: Page, tmp_path: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV", exact=True).click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith("-results.csv")
    target = tmp_path / name
    download.save_as(target)
    return read_export(target)


PROGRESS_ABOVE = """(floor) => {
  const bar = document.querySelector(".job-progress progress");
  return !bar || (bar.hasAttribute("value") && bar.value > floor);
}"""


def progress_reading(page: Page) -> tuple[float, str] | None:
    """The progress bar's value and the job text, read together; None once the page has
    reloaded into the dashboard (or is reloading right now)."""
    try:
        return page.evaluate(
            """() => {
              const box = document.querySelector(".job-progress");
              const bar = box && box.querySelector("progress");
              return bar ? [bar.value, box.querySelector(".job-text").textContent] : null;
            }"""
        )
    except Exception:  # noqa: BLE001 - the execution context went away with the reload
        return None


def watch_progress(page: Page, artifacts_dir: Path, total: int) -> list[float]:
    """Progress values read while the job runs: the first real one, then a higher one.

    A fast machine may finish before the first or second reading; then fewer are returned.
    """
    seen: list[float] = []
    if not page.locator(".job-progress progress").count():
        return seen  # finished before the page was rendered
    expect(page.locator(".job-progress progress")).to_be_visible()
    expect(
        page.get_by_text("The charts appear when the first analysis has finished.")
    ).to_be_visible()
    floor = 0.0
    for _ in range(2):
        page.wait_for_function(PROGRESS_ABOVE, arg=floor, timeout=ANALYSIS_TIMEOUT, polling=100)
        reading = progress_reading(page)
        if reading is None or reading[0] >= total:  # done: the page reloads (or has)
            break
        value, job_text = reading
        # The server renders "1,000 of 20,003 (4%)"; job.js adds the noun from its first poll.
        pattern = rf"[\d,]+ of {total:,} (texts analysed )?\(\d+%\)"
        assert re.fullmatch(pattern, job_text.strip()), job_text
        if not seen:
            screenshot(page, artifacts_dir / "dataset-progress.png")
        seen.append(value)
        floor = value
    return seen


# --- the flow -----------------------------------------------------------------------------------


@dataclass
class JobLog:
    """What the job-status polls answered, in order."""

    answers: list[dict[str, Any]] = field(default_factory=list)

    def record(self, response: Response) -> None:
        if re.search(r"/jobs/\d+\.json$", response.url) and response.ok:
            try:
                self.answers.append(response.json())
            except Exception:  # noqa: BLE001 - a reload can cut a body off; skip that one
                pass


@pytest.mark.browser
def test_upload_map_columns_watch_progress_chart_filter_open_and_export(
    new_context: NewContext, server_url: str, artifacts_dir: Path, tmp_path: Path
) -> None:
    upload = write_csv(tmp_path / "rider-comments.csv", GENERATED_ROWS)
    context = new_context(viewport=DESKTOP, accept_downloads=True)
    watch = Watch()
    watch.attach(context)
    offline_tiles(context)
    page = context.new_page()
    jobs = JobLog()
    page.on("response", jobs.record)

    username = unique_username("flow")
    register(page, server_url, username)

    # 1. Upload: the preview shows the first rows and turns the column fields into selects.
    page.get_by_role("navigation").get_by_role("link", name="Upload", exact=True).click()
    expect(page).to_have_url(f"{server_url}/datasets/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload texts")
    page.get_by_label("Dataset name").fill(DATASET_NAME)
    page.get_by_label("Texts (CSV, JSON, JSON Lines or plain text)").set_input_files(upload.path)
    preview = page.locator("#preview")
    expect(preview).to_be_visible()
    expect(page.locator("#preview-note")).to_contain_text("CSV")
    expect(page.locator("#preview-note")).to_contain_text("Check the columns below.")
    table = page.locator("#preview-table")
    expect(table.locator("th")).to_have_text(["remark", "when", "who", "latitude", "longitude"])
    assert table.locator("tr").count() >= 3, "the preview shows no rows"
    text_column = page.get_by_label("Text column")
    time_column = page.get_by_label("Timestamp column")
    expect(text_column).to_have_js_property("tagName", "SELECT")
    expect(text_column).to_have_value("")  # not guessable: the user must choose
    expect(time_column).to_have_value("")
    expect(page.get_by_label("Latitude column")).to_have_value("latitude")
    expect(page.get_by_label("Longitude column")).to_have_value("longitude")
    text_column.select_option("remark")
    time_column.select_option("when")
    page.get_by_label("Author column").select_option("who")
    page.get_by_label("Keywords to track (comma-separated)").fill(KEYWORDS)
    screenshot(page, artifacts_dir / "upload-preview.png", full_page=True)
    # The server reads and stores every row before it answers: seconds on a busy machine.
    page.get_by_role("button", name="Upload and analyse").click(timeout=UPLOAD_TIMEOUT)

    # 2. The dataset page: the progress bar moves, then the page reloads into the dashboard.
    expect(page).to_have_url(
        re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"), timeout=UPLOAD_TIMEOUT
    )
    dataset_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(DATASET_NAME)
    expect(page.get_by_role("status").filter(has_text="texts uploaded")).to_have_text(
        re.compile(rf"^\s*{upload.rows:,} texts uploaded \(read as UTF-8\); analysis started\.\s*$")
    )
    expect(page.locator(".meta").first).to_contain_text(f"{upload.rows:,} texts")
    seen_values = watch_progress(page, artifacts_dir, upload.rows)
    assert all(0 < value < upload.rows for value in seen_values)
    # Finished: the page reloads itself into the dashboard.
    expect(page.locator(".job-progress")).to_have_count(0, timeout=ANALYSIS_TIMEOUT)
    assert page.url == dataset_url
    assert jobs.answers, "the page never asked for the job's progress"
    job_id = jobs.answers[0]["id"]
    final = context.request.get(f"{server_url}/jobs/{job_id}.json").json()
    assert final["status"] == "done"
    assert final["done"] == final["total"] == upload.rows
    dones = [answer["done"] for answer in jobs.answers if answer["status"] == "running"]
    assert dones == sorted(dones), f"progress went backwards: {dones}"
    assert all(answer["total"] == upload.rows for answer in jobs.answers)

    # 3. Charts and map.
    expect_charts(page)
    in_view, total = view_counts(page)
    assert in_view == total == upload.rows
    expect(page.locator('[data-placeholder="keywords"]')).to_be_hidden()
    expect_markers(page)
    note = page.locator('[data-role="map-note"]')
    expect(note).to_contain_text("The background map could not be loaded")
    expect(note).to_contain_text(f"{upload.geotagged:,} geotagged texts.")
    assert watch.tile_failures > 0, "no tile request was made (or none failed)"
    legend = page.locator('[data-role="map-legend"] li')
    assert legend.count() >= 2
    page.wait_for_timeout(700)  # the charts' entry animation
    screenshot(page, artifacts_dir / "dataset-dashboard.png", full_page=True)

    # 4. Filter by emotion, then search for a hand-written text.
    filters = page.locator("form.filters")
    filters.get_by_label("Emotion").select_option("joy")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]label=joy(&|$)"))
    expect_charts(page)
    joy_in_view, total_again = view_counts(page)
    assert total_again == upload.rows
    assert 0 < joy_in_view < upload.rows
    expect(filters.get_by_label("Emotion")).to_have_value("joy")
    expect_markers(page)
    joy_note = page.locator('[data-role="map-note"]').inner_text()
    joy_geotagged = re.search(r"([\d,]+) geotagged", joy_note)
    assert joy_geotagged and number(joy_geotagged[1]) < upload.geotagged, joy_note
    filtered_header, filtered_rows = export_csv(page, tmp_path, "joy.csv")
    assert len(filtered_rows) == joy_in_view
    assert {row["label"] for row in filtered_rows} == {"joy"}

    filters.get_by_label("Emotion").select_option("")
    filters.get_by_label("Text contains").fill(SEARCH_WORD)
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"[?&]q={SEARCH_WORD}(&|$)"))
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("q") == [SEARCH_WORD] and not query.get("label")
    expect(page.locator('#dashboard [data-role="status"]')).to_have_text(
        f"1 analysed text in this view (the dataset has {upload.rows:,})."
    )

    # 5. The texts of this view, then the one text.
    page.get_by_role("link", name="Texts", exact=True).click()
    expect(page).to_have_url(re.compile(r"/texts\?.*q=zeppelin"))
    expect(page.locator("p.meta")).to_have_text(re.compile(r"^1 text matches · page 1 of 1$"))
    rows = page.locator("table.texts tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.text")).to_contain_text(SEARCH_TEXT.split(",")[0])
    rows.first.get_by_role("link", name=re.compile(r"^Open text \d+$")).click()
    expect(page).to_have_url(re.compile(r"/datasets/\d+/texts/\d+$"))
    detail = page.locator("#text-detail")
    expect(detail.get_by_role("heading", level=1)).to_have_text(
        f"Text on line {upload.line_of(SEARCH_TEXT)}"
    )
    expect(detail.locator("p.text.big")).to_have_text(SEARCH_TEXT)
    emotion = detail.locator("h2 .label")
    expect(emotion).to_have_text(re.compile(rf"^({'|'.join(LABELS)})$"))
    shown_label = emotion.inner_text()
    assert shown_label == "joy", f"an obviously happy text was labelled {shown_label!r}"
    meters = detail.locator("table.scores-table meter")
    expect(meters).to_have_count(len(LABELS))
    score_names = detail.locator("table.scores-table tbody td:first-child").all_inner_texts()
    assert sorted(score_names) == sorted(LABELS)
    scores = [float(value) for value in meters.evaluate_all("ms => ms.map(m => m.value)")]
    assert scores == sorted(scores, reverse=True), "scores should be listed highest first"
    assert abs(sum(scores) - 1) < 0.01, f"scores do not add up to 1: {scores}"
    marks = detail.locator("p.text.big mark")
    expect(marks.first).to_be_visible()
    words = set(re.findall(r"\w+", SEARCH_TEXT.lower()))
    marked = set(re.findall(r"\w+", " ".join(marks.all_inner_texts()).lower()))
    assert marked <= words  # words and phrases of the text, nothing else
    screenshot(page, artifacts_dir / "text-detail.png", full_page=True)

    # 6. Export everything from the unfiltered dataset page.
    page.get_by_role("link", name=f"← {DATASET_NAME}: texts").click()
    expect(page.locator("p.meta")).to_contain_text(f"{upload.rows:,} texts match")
    page.get_by_role("heading", level=1).get_by_role("link").click()
    expect(page).to_have_url(dataset_url)
    header, exported = export_csv(page, tmp_path, "all.csv")
    assert header == EXPORT_HEADER + [f"score_{label}" for label in LABELS]
    assert header == filtered_header
    assert len(exported) == upload.rows
    by_text = {row["text"]: row for row in exported}
    assert "'" + FORMULA_TEXT in by_text, "the formula text was not neutralised"
    assert FORMULA_TEXT not in by_text
    assert by_text[SEARCH_TEXT]["label"] == shown_label
    assert by_text[MARKUP_TEXT]["author"] == "handwritten"
    assert sum(1 for row in exported if row["lat"]) == upload.geotagged
    with upload.path.open(newline="", encoding="utf-8") as handle:
        source = {line: row[0] for line, row in enumerate(csv.reader(handle), start=1)}
    for row in exported:  # every text comes back as uploaded, on its own line
        original = source[int(row["line"])]
        expected = "'" + original if original.startswith("=") else original
        assert row["text"] == expected, (row["line"], row["text"], original)
    assert all(row["posted_at"].startswith("2026-03-") for row in exported)

    # 7. Text with markup stays text on the texts page.
    page.goto(f"{dataset_url}/texts?q=quokka")
    cell = page.locator("table.texts tbody td.text").first
    expect(cell).to_contain_text("<b>quokka</b>")
    expect(cell.locator("b, script")).to_have_count(0)

    watch.assert_clean()
    # The watch itself works: a blocked image is reported as a CSP violation.
    page.evaluate(
        "() => { const img = document.createElement('img');"
        " img.src = 'https://blocked.invalid/pixel.png'; document.body.append(img); }"
    )
    for _ in range(50):
        if watch.violations:
            break
        page.wait_for_timeout(100)
    assert any("blocked.invalid" in violation for violation in watch.violations), (
        "the CSP watch saw nothing: it cannot be trusted"
    )


# --- another user -------------------------------------------------------------------------------

SMALL_CSV = "remark,when\n" + "".join(
    f"private note {index}: the tram made me happy,2026-03-0{1 + index % 9}T08:00:00Z\n"
    for index in range(40)
)
NOT_YOURS = "There is nothing here, or it is not yours to see."


def expect_not_found(page: Page, response: Response | None, secret: str) -> str:
    """The friendly 404 page, with none of the other user's data; its main text."""
    assert response is not None and response.status == 404, response and response.status
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Error 404")).to_be_visible()
    expect(page.get_by_text(NOT_YOURS)).to_be_visible()
    body = page.locator("main").inner_text()
    assert secret not in body and "private note" not in body
    return body


@pytest.mark.browser
def test_another_users_dataset_is_a_404(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    secret = f"Secret plans {uuid.uuid4().hex[:6]}"
    owner = new_context().new_page()
    register(owner, server_url, unique_username("owner"))
    owner.goto("/datasets/new")
    owner.get_by_label("Dataset name").fill(secret)
    source = tmp_path / "notes.csv"
    source.write_text(SMALL_CSV, encoding="utf-8")
    owner.get_by_label("Texts (CSV, JSON, JSON Lines or plain text)").set_input_files(source)
    expect(owner.get_by_label("Text column")).to_have_js_property("tagName", "SELECT")
    owner.get_by_label("Text column").select_option("remark")
    owner.get_by_label("Timestamp column").select_option("when")
    owner.get_by_role("button", name="Upload and analyse").click()
    expect(owner).to_have_url(re.compile(r"/datasets/\d+$"))
    dataset_url = owner.url
    expect(owner.get_by_role("heading", level=1)).to_have_text(secret)
    expect(owner.locator('[data-chart="distribution"] svg')).to_have_count(1, timeout=30_000)
    owner.goto(f"{dataset_url}/texts")
    open_link = owner.get_by_role("link", name=re.compile(r"^Open text \d+$")).first
    text_url = open_link.get_attribute("href")
    assert text_url and re.fullmatch(r"/datasets/\d+/texts/\d+", text_url)

    intruder = new_context().new_page()
    intruder_name = unique_username("intruder")
    register(intruder, server_url, intruder_name)
    expect(intruder.get_by_text(secret)).to_have_count(0)  # not on the intruder's dashboard

    # Pasting the owner's addresses into the address bar: the 404 page, never the data.
    page_body = expect_not_found(intruder, intruder.goto(dataset_url), secret)
    expect(intruder.get_by_role("button", name=f"Sign out ({intruder_name})")).to_be_visible()
    expect_not_found(intruder, intruder.goto(f"{dataset_url}/texts"), secret)
    expect_not_found(intruder, intruder.goto(f"{server_url}{text_url}"), secret)
    # The same page as for a dataset that does not exist: nothing tells the two apart.
    missing = intruder.goto("/datasets/987654321")
    assert expect_not_found(intruder, missing, secret) == page_body

    # Nor do the data addresses behind the page answer with data.
    for path in ("summary.json", "export.csv", "export.jsonl"):
        response = intruder.request.get(f"{dataset_url}/{path}")
        assert response.status == 404, (path, response.status)
        assert "private note" not in response.text() and secret not in response.text()

    # The owner still sees it all.
    owner.goto(dataset_url)
    expect(owner.get_by_role("heading", level=1)).to_have_text(secret)


# --- an upload refused --------------------------------------------------------------------------

FILE_LABEL = "Texts (CSV, JSON, JSON Lines or plain text)"
CHOOSE_TEXT = "Choose the column that holds the texts."
LATE_ROW = "the tram was late again"
REFUSED_CSV = (
    "remark,when\n"
    "the tram was lovely today,2026-03-01T08:00:00Z\n"
    f"{LATE_ROW},next tuesday\n"
    "the staff were kind,2026-03-02T08:00:00Z\n"
)


@pytest.mark.browser
def test_a_refused_upload_keeps_the_file_the_preview_and_the_columns(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    context = new_context(viewport=DESKTOP)
    watch = Watch()
    watch.attach(context)
    page = context.new_page()
    sent: list[str] = []
    page.on(
        "request", lambda request: sent.append(request.url) if request.method == "POST" else None
    )
    register(page, server_url, unique_username("refused"))
    page.goto("/datasets/new")
    sent.clear()
    page.get_by_label("Dataset name").fill("Rider notes")
    source = tmp_path / "rider-notes.csv"
    source.write_text(REFUSED_CSV, encoding="utf-8")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    text_column = page.get_by_label("Text column")
    expect(text_column).to_have_js_property("tagName", "SELECT")
    expect(text_column).to_have_value("")
    upload_button = page.get_by_role("button", name="Upload and analyse")

    # 1. An unmapped text column: nothing is sent, the field says why.
    upload_button.click()
    expect(page.locator("#form-error")).to_have_text(f"Nothing was uploaded. {CHOOSE_TEXT}")
    expect(page.locator(".field.has-error").filter(has=text_column)).to_contain_text(CHOOSE_TEXT)
    expect(text_column).to_be_focused()
    assert f"{server_url}/datasets/new" not in sent

    # 2. With the columns chosen, the preview marks the row the upload would refuse.
    text_column.select_option("remark")
    page.get_by_label("Timestamp column").select_option("when")
    bad_rows = page.locator("#preview-table tr.bad-row")
    expect(bad_rows).to_have_count(1)
    expect(bad_rows.locator("td").first).to_have_text(LATE_ROW)
    expect(bad_rows.locator("td.problem")).to_have_text(
        "line 3: unreadable timestamp 'next tuesday'"
    )
    expect(page.locator("#preview-note")).to_contain_text("1 row among the first cannot be read")

    # 3. Sent anyway: the server's refusal shows in place; file, preview and columns stay.
    upload_button.click()
    file_errors = page.locator(".field").filter(has=page.get_by_label(FILE_LABEL)).locator(".error")
    expect(file_errors).to_contain_text("1 row cannot be read: line 3: unreadable timestamp")
    expect(page.locator("#form-error")).to_contain_text("Nothing was uploaded.")
    assert sent.count(f"{server_url}/datasets/new") == 1
    expect(page).to_have_url(f"{server_url}/datasets/new")
    expect(text_column).to_have_value("remark")
    expect(page.get_by_label("Timestamp column")).to_have_value("when")
    expect(page.get_by_label("Dataset name")).to_have_value("Rider notes")
    expect(page.locator("#preview-table tr")).to_have_count(4)  # the header and three rows
    expect(bad_rows).to_have_count(1)
    chosen = page.get_by_label(FILE_LABEL).evaluate("input => input.files[0].name")
    assert chosen == "rider-notes.csv"

    # 4. The kept file goes again, its unreadable row skipped.
    page.get_by_label("Skip rows that cannot be read (they are listed afterwards)").check()
    upload_button.click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/datasets/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rider notes")
    # (The notice is not checked: the page reloads once two texts are analysed, which is soon.)
    expect(page.locator(".meta").first).to_contain_text("2 texts")
    expect(page.locator("details.warn")).to_contain_text("line 3: unreadable timestamp")
    # The one refusal the browser logs is the upload's own 400 answer.
    refused = [error for error in watch.errors if "status of 400" in error]
    assert len(refused) == 1 and "/datasets/new" in refused[0], watch.errors
    watch.errors = [error for error in watch.errors if error not in refused]
    watch.assert_clean()
