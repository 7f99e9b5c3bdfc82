"""In a real browser against the live server: a team notes what happened on the timeline, opens
the week after it compared with the week before, and saves that view for the others."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.dataset_page import ANALYSIS_TIMEOUT
from tests.browser.flow_users import NewContext, new_user

FILE_LABEL = "Texts (CSV, Excel, JSON, JSON Lines or plain text)"
JOY = "I love the new tram, what a wonderful happy ride"
ANGER = "I am furious, the tram is late again and this is outrageous"


def _two_weeks(path: Path) -> Path:
    """1 to 7 March mostly joy (16 of 20), 8 to 14 March mostly anger (15 of 20)."""
    rows = ["text,posted_at"]
    for first_day, joy, anger in ((1, 16, 4), (8, 5, 15)):
        for index, text in enumerate([JOY] * joy + [ANGER] * anger):
            rows.append(f'"{text}",2026-03-{first_day + index % 7:02d}T{9 + index // 7:02d}:00Z')
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.browser
def test_a_note_on_the_timeline_opens_the_week_after_against_the_week_before(
    new_context: NewContext, server_url: str, tmp_path: Path
) -> None:
    page, watch = new_user(new_context, server_url, "planner")
    page.goto("/datasets/new")
    page.get_by_label("Dataset name").fill("Tram feedback")
    page.get_by_label(FILE_LABEL).set_input_files(_two_weeks(tmp_path / "feedback.csv"))
    expect(page.get_by_label("Timestamp column")).to_have_value("posted_at")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page.locator('[data-chart="timeline"] svg')).to_have_count(1, timeout=ANALYSIS_TIMEOUT)
    dataset_url = page.url

    notes = page.locator("section.annotations")
    notes.get_by_label("Date").fill("2026-03-08")
    notes.get_by_label("What happened").fill("New timetable")
    notes.get_by_role("button", name="Add to the timeline").click()
    expect(page.get_by_role("status").filter(has_text="Noted")).to_have_text(
        "Noted “New timetable” on the timeline."
    )
    timeline = page.locator('[data-chart="timeline"] svg')
    expect(timeline.locator("text", has_text="New timetable")).to_have_count(1)

    page.get_by_role("link", name="Compare the 7 days after with the 7 before").click()
    expect(page).to_have_url(f"{dataset_url}?start=2026-03-08&end=2026-03-14")
    card = page.locator('[data-card="comparison"]')
    expect(card.locator(".dash-compare-volume")).to_contain_text(
        "20 texts, against 20 texts in Mar 1, 2026 – Mar 7, 2026"
    )
    anger = card.get_by_role("row", name=re.compile("^Anger"))
    expect(anger.get_by_role("cell")).to_have_text(["75% (15)", "20% (4)", "▲ +55 pts significant"])

    saving = page.locator("section.saved-views")
    saving.get_by_label("Save this view as").fill("After the timetable")
    saving.get_by_role("button", name="Save view").click()
    expect(page.get_by_role("status").filter(has_text="Saved the view")).to_be_visible()
    page.goto(dataset_url)
    page.get_by_role("link", name="After the timetable", exact=True).click()
    expect(page).to_have_url(f"{dataset_url}?start=2026-03-08&end=2026-03-14")
    expect(card.get_by_role("row", name=re.compile("^Joy")).get_by_role("cell")).to_have_text(
        ["25% (5)", "80% (16)", "▼ -55 pts significant"]
    )
    watch.assert_clean()
