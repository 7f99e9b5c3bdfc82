"""The upload page's file chosen, and a dataset's page read in the browser: its status line,
charts, map, progress and export."""

import csv
import re
from pathlib import Path

from playwright.sync_api import Page, expect

CHARTS = ["distribution", "timeline", "keywords", "terms"]
MIN_SCREENSHOT_BYTES = 5_000
ANALYSIS_TIMEOUT = 90_000  # ms
FILE_LABEL = "Texts (CSV, Excel, JSON, JSON Lines or plain text)"


def chosen(page: Page, source: Path, text_column: str) -> None:
    """The upload page with `source` chosen, once its preview has read the columns (the text
    column guessed as `text_column`)."""
    page.goto("/datasets/new")
    page.get_by_label(FILE_LABEL).set_input_files(source)
    expect(page.get_by_label("Text column")).to_have_value(text_column)


def analysed(page: Page) -> None:
    """Wait on a dataset's page until its analysis has finished (the page reloads then)."""
    expect(page.locator(".job-progress")).to_have_count(0, timeout=30_000)


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
