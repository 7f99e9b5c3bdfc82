"""Texts pushed into a dataset as they come (the API's live feed, a subscription's new
entries): checked against the team's quota, stored all or none, analysed at once, and the
dataset's alert rules judged."""

from collections.abc import Callable, Sequence

from emolytics.pipeline import alert_checks, analysis, datasets, jobs, quotas
from emolytics.pipeline.ingest import ParsedText
from emolytics.tables import Dataset, JobKind


def push(
    dataset: Dataset, rows: Sequence[ParsedText], before_commit: Callable[[], None] | None = None
) -> list[int]:
    """Store `rows` (QuotaExceeded past the team's quota) and analyse them; their ids.
    `before_commit` adds to the texts' transaction what must exist exactly when they do."""
    quotas.check_room(dataset.team_id, len(rows))
    text_ids = datasets.append_texts(dataset, rows, before_commit)
    _analyse(dataset, text_ids)
    alert_checks.after_push(dataset.id)
    return text_ids


def _analyse(dataset: Dataset, text_ids: list[int]) -> None:
    """Into the finished analysis at once; else a running one catches them up when it ends;
    else (a new feed's first batch) a first analysis starts."""
    if dataset.current_job_id is not None:
        analysis.analyze_new_texts(dataset, text_ids)
    elif not jobs.unfinished_jobs(dataset.id, JobKind.ANALYSIS):
        jobs.start_analysis(dataset)
