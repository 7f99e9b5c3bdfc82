"""Uploads: a file becomes a dataset and its analysis job in one transaction, then the job is
queued.

So no dataset is ever stored without its analysis: a process that dies right after the commit,
or a queue that cannot be reached, leaves the job queued in the database, where a worker's
recovery (or, for the in-process queue, the next start) finds it.
"""

from collections.abc import Callable
from typing import IO

from emolytics.pipeline import datasets, jobs
from emolytics.pipeline.datasets import Upload
from emolytics.tables import Dataset, Job


def import_and_analyse(
    team_id: int,
    upload: Upload,
    binary: IO[bytes],
    filename: str | None,
    before_commit: Callable[[], None] | None = None,
) -> Dataset:
    """Store the file as a new dataset with its analysis job, then start the job.

    Raises what `datasets.import_file` raises; nothing is stored then. `before_commit` adds
    more to the transaction (the answer kept for a retry).
    """
    staged: list[Job] = []

    def stage(dataset: Dataset) -> None:
        staged.append(jobs.stage_analysis(dataset))
        if before_commit is not None:
            before_commit()

    dataset = datasets.import_file(team_id, upload, binary, filename, stage)
    jobs.enqueue(staged[0])
    return dataset
