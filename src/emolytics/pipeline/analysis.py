"""Analysis: texts in chunks through the engine, results written idempotently.

Each chunk's results, its contributing terms and the job's progress are committed together,
and every row is keyed by (job, text) (terms by (job, chunk)), so a worker killed at any point
and the part run again leaves exactly one result per text.
"""

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from emolytics.engine import EmotionResult
from emolytics.extensions import db
from emolytics.pipeline import corrections, counts, languages, statistics, terms
from emolytics.pipeline.analyzers import analyzer_for
from emolytics.pipeline.chunks import text_chunks
from emolytics.pipeline.purge import OwnerGone, hold, remove_jobs_rows
from emolytics.tables import (
    NOT_SCORED,
    Dataset,
    Job,
    JobPart,
    JobStatus,
    JobTerm,
    Result,
    TextRow,
    utcnow,
)


class JobGone(OwnerGone):
    """The job (or its dataset) was deleted while running."""


class JobCancelled(Exception):
    """The user cancelled the job while it was running."""


# --- running a part ----------------------------------------------------------------------------


def run_part(job: Job, part: JobPart, budget: int) -> bool:
    """Analyse the texts of `part` that have no result yet, chunk by chunk, until about
    `budget` are done (0: all); whether the part is complete (False: texts are left for
    another turn)."""
    chunks = text_chunks(
        job.dataset_id,
        _resume_point(job.id, part),
        current_app.config["ANALYSIS_CHUNK"],
        until=part.last_text_id,
    )
    done = 0
    for rows in chunks:
        if budget and done >= budget:
            return False
        check_still_wanted(job.id)
        analyze_chunk(job, rows, part=part.part)
        done += len(rows)
    return True


def analyze_chunk(job: Job, rows: Sequence[Any], part: int | None) -> None:
    """Detect each text's language and score the texts the model reads; explain the sampled
    ones for the top-terms statistics."""
    scored = _scored(job, rows, job.total)
    write_chunk(
        job.id,
        [row.id for row in rows],
        scored.results,
        part,
        scored.explained,
        scored.step,
        scored.codes,
    )


class Scored(NamedTuple):
    results: list[EmotionResult | None]  # None: a language the model does not read
    codes: list[str]  # each text's language
    explained: list[EmotionResult]  # the sample's, with their contributions
    step: int  # one text in `step` is in the sample


def _scored(job: Job, rows: Sequence[Any], total: int) -> Scored:
    """The rows scored, and the scored ones of the sample explained: one text in
    `terms.explained_step(total)`, chosen by id (the same ones on a retry)."""
    analyzer = analyzer_for(job.model_id)
    texts = [row.text for row in rows]
    found = languages.detect_for(job.model_id, analyzer, texts)
    results = languages.scored(analyzer, texts, found)
    step = terms.explained_step(total)
    sampled = [
        row.text
        for row, result in zip(rows, results, strict=True)
        if result is not None and row.id % step == 0
    ]
    explained = analyzer.analyze(sampled, explain=True) if sampled else []
    return Scored(results, [language.code for language in found], explained, step)


def _resume_point(job_id: int, part: JobPart) -> int:
    """The last text of this part that already has a result (or just before the part)."""
    done = db.session.scalar(
        select(func.max(Result.text_id)).where(
            Result.job_id == job_id,
            Result.text_id >= part.first_text_id,
            Result.text_id <= part.last_text_id,
        )
    )
    return done if done is not None else part.first_text_id - 1


def check_still_wanted(job_id: int) -> None:
    """JobGone or JobCancelled when the job was deleted or cancelled meanwhile."""
    status = db.session.scalar(select(Job.status).where(Job.id == job_id))
    if status is None:
        raise JobGone(f"job {job_id}")
    if status == "cancelled":
        raise JobCancelled(f"job {job_id}")


def write_chunk(
    job_id: int,
    text_ids: Sequence[int],
    results: Sequence[EmotionResult | None],
    part: int | None,
    explained: Sequence[EmotionResult] = (),
    scale: int = 1,
    found: Sequence[str | None] = (),
) -> None:
    """Store one chunk's results and terms and count it, in one transaction.

    A result None: the text was not scored (its language). `found`: each text's language
    (empty: not detected). Terms come from `explained` (results with contributions), each
    standing for `scale` texts.
    """
    _store_chunk(job_id, text_ids, results, part, explained, scale, found)
    db.session.commit()


def _store_chunk(
    job_id: int,
    text_ids: Sequence[int],
    results: Sequence[EmotionResult | None],
    part: int | None,
    explained: Sequence[EmotionResult],
    scale: int,
    found: Sequence[str | None],
) -> None:
    """`write_chunk` without the commit. The job's row is held first (its rows have no foreign
    key); raising its `done` locks it on PostgreSQL until the commit, so writers of one job's
    chunks take turns from there on."""
    hold(Job, job_id)
    codes = found or [None] * len(text_ids)
    db.session.execute(
        _insert_ignoring_duplicates(Result),
        [
            {"job_id": job_id, "text_id": text_id, "language": code, **_result_columns(result)}
            for text_id, result, code in zip(text_ids, results, codes, strict=True)
        ],
    )
    kept = terms.chunk_terms(job_id, text_ids[0], explained, scale)
    if kept:
        db.session.execute(_insert_ignoring_duplicates(JobTerm), kept)
    db.session.execute(update(Job).where(Job.id == job_id).values(done=Job.done + len(text_ids)))
    if part is not None:
        db.session.execute(
            update(JobPart)
            .where(JobPart.job_id == job_id, JobPart.part == part)
            .values(heartbeat_at=utcnow())
        )


def _result_columns(result: EmotionResult | None) -> dict[str, Any]:
    if result is None:  # not scored: its language is not one the model reads
        return {
            "label": NOT_SCORED,
            "confidence": 0.0,
            "valence": 0.0,
            "scores": "{}",
            "margin": None,
        }
    return {
        "label": result.label,
        "confidence": result.scores[result.label],
        "valence": result.valence,
        "scores": json.dumps(result.scores, separators=(",", ":")),
        "margin": _margin(result.scores),
    }


def _margin(scores: dict[str, float]) -> float:
    """The gap between the two best scores (the best one's own score when there is one label):
    the smaller, the less sure the model."""
    ordered = sorted(scores.values())  # a few labels: a quarter of heapq.nlargest's time
    return ordered[-1] - (ordered[-2] if len(ordered) > 1 else 0.0)


def _insert_ignoring_duplicates(model: type[db.Model]):  # type: ignore[name-defined]
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(model).on_conflict_do_nothing()
    return insert(model)


# --- finishing ---------------------------------------------------------------------------------


def finish(job: Job) -> None:
    """Make a finished analysis the dataset's current one.

    Texts pushed while it ran (after its last text) are analysed now; the dataset's corrections
    are applied to its results and its counts built, in the commit that makes it current; the
    previous analysis's results and counts are removed.
    """
    # The dataset's row before the job's, in the order a deletion locks them.
    dataset = db.session.scalar(
        select(Dataset)
        .where(Dataset.id == job.dataset_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if dataset is None:
        raise JobGone(f"dataset of job {job.id}")
    hold(Job, job.id)
    catch_up(job)
    previous = dataset.current_job_id
    corrections.apply(job.id, dataset.id)
    counts.count_results(job.id, dataset.id)
    dataset.current_job_id = job.id
    job.done = db.session.scalar(select(func.count()).where(Result.job_id == job.id))
    job.total = max(job.total, job.done)
    job.status = JobStatus.DONE
    # The dashboard's first look comes right after this commit: the planner must know these
    # tables by then, not once the vacuum below gets to them.
    statistics.in_transaction("job_counts", "job_points", "job_terms", "results")
    db.session.commit()
    if previous is not None and previous != job.id:
        remove_jobs_rows([previous])
        db.session.commit()
    # Visibility for the index-only scans of the map and the keyword filter. Results are read
    # from the table anyway (their scores), so the largest table is left to autovacuum instead
    # of competing with the dashboard's first look.
    statistics.vacuum("job_counts", "job_points", "job_terms", "texts", "text_keywords")


def catch_up(job: Job) -> None:
    """Analyse texts of the job's dataset that arrived after the job started."""
    chunk_size = current_app.config["ANALYSIS_CHUNK"]
    for rows in text_chunks(job.dataset_id, job.last_text_id or 0, chunk_size):
        analyze_chunk(job, rows, part=None)


def analyze_new_texts(dataset: Dataset, text_ids: Sequence[int]) -> None:
    """The live feed: analyse freshly pushed texts into the dataset's current analysis and its
    counts, in one transaction. Texts it already has are left alone, so a retry adds nothing."""
    if dataset.current_job_id is None or not text_ids:
        return  # a running analysis catches them up when it finishes
    job = db.session.get(Job, dataset.current_job_id)
    analysed = select(Result.text_id).where(Result.job_id == job.id, Result.text_id.in_(text_ids))
    rows = db.session.execute(
        select(TextRow.id, TextRow.text)
        .where(TextRow.id.in_(text_ids), TextRow.id.not_in(analysed))
        .order_by(TextRow.id)
    ).all()
    if not rows:
        return
    new_ids = [row.id for row in rows]
    scored = _scored(job, rows, job.total + len(rows))
    _store_chunk(job.id, new_ids, scored.results, None, scored.explained, scored.step, scored.codes)
    counts.add(job.id, dataset.id, new_ids)
    job.total = job.total + len(rows)
    db.session.commit()
