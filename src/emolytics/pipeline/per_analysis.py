"""Answers each process keeps per analysis: sums of an analysis's counts that change only when
texts are analysed (the languages and the segments the filters offer), not with every page."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import Job

Kept = TypeVar("Kept")

MAX_KEPT = 512  # answers a process keeps; it starts over when full
# (what, database, job id, job created at, job's texts done) -> the answer
_kept: dict[tuple[str, str, int, datetime, int], Any] = {}


def kept(what: str, job_id: int, compute: Callable[[int], Kept]) -> Kept:
    """`compute(job_id)`, computed once per analysis and texts analysed (`what` names it). The
    job's creation time tells apart a job whose id a new database gave again."""
    job = db.session.execute(select(Job.created_at, Job.done).where(Job.id == job_id)).one()
    key = (what, str(db.engine.url), job_id, job.created_at, job.done)
    if key not in _kept:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = compute(job_id)
    return _kept[key]
