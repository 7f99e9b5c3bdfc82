"""The whole product flow in a real browser, against the live `emolytics run` server.

Upload a CSV whose columns no name gives away, check the columns guessed from their values,
watch the analysis progress, see the charts and the map, filter, open one text and export the
results. Console errors and CSP violations fail the test, except the map tiles, which are made
unreachable on purpose (as on an offline server).
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Response, expect

from tests.browser.account_steps import register, unique_username
from tests.browser.dataset_page import (
    ANALYSIS_TIMEOUT,
    expect_charts,
    expect_markers,
    export_csv,
    number,
    screenshot,
    view_counts,
    watch_progress,
)
from tests.browser.flow_users import DESKTOP, NewContext
from tests.browser.page_watch import Watch, offline_tiles
from tests.browser.rider_comments import (
    FORMULA_TEXT,
    MARKUP_TEXT,
    SEARCH_TEXT,
    SEARCH_WORD,
    write_csv,
)

GENERATED_ROWS = 20_000
KEYWORDS = "tram, delays, staff"
EXPORT_HEADER = [
    "id",
    "line",
    "text",
    "posted_at",
    "author",
    "lat",
    "lon",
    "segment",
    "language",
    "label",
    "model_label",
    "corrected",
    "valence",
]
LABELS = ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
DATASET_NAME = "Rider comments, March"
UPLOAD_TIMEOUT = 60_000  # ms; the upload request imports every row before it answers


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
    page.get_by_label("Texts (CSV, Excel, JSON, JSON Lines or plain text)").set_input_files(
        upload.path
    )
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
    expect(text_column).to_have_value("remark")  # no name says so: guessed by its words
    expect(time_column).to_have_value("when")  # and by its dates
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
    filters.get_by_label("Search").fill(SEARCH_WORD)
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
    expect(page.locator("p.meta")).to_have_text(
        re.compile(r"^1 text matches · page 1 of 1 · review them$")
    )
    rows = page.locator("table.texts tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.text")).to_contain_text(SEARCH_TEXT.split(",")[0])
    rows.first.get_by_role("link", name=re.compile(r"^Open text \d+$")).click()
    expect(page).to_have_url(re.compile(r"/datasets/\d+/texts/\d+\?q=zeppelin$"))
    detail = page.locator("#text-detail")
    expect(detail.locator("p.text.big b.found")).to_have_text(re.compile("^zeppelin$", re.I))
    expect(detail.get_by_role("heading", level=1)).to_have_text(
        f"Text on line {upload.line_of(SEARCH_TEXT)} of {upload.path.name}"
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
    page.get_by_role("link", name=f"← {DATASET_NAME}: texts containing “{SEARCH_WORD}”").click()
    expect(page.locator("p.meta")).to_have_text(re.compile(r"^1 text matches"))  # the search kept
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

    # 7. Text with markup stays text on the texts page, the search's words in bold.
    page.goto(f"{dataset_url}/texts?q=quokka")
    cell = page.locator("table.texts tbody td.text").first
    expect(cell).to_contain_text("<b>quokka</b>")
    expect(cell.locator("b.found")).to_have_text("quokka")  # where the search found it
    expect(cell.locator("b:not(.found), script")).to_have_count(0)

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
