"""The job-progress script: it counts up, follows the done URL, stops at the end."""

import pytest
from playwright.sync_api import expect

from tests.browser.dashboard_harness import Harness

pytestmark = pytest.mark.browser


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
