"""Jobs that no worker would run again, analyses taking turns, and deletions in the middle of
a job: each ends with the job done (or quietly stopped), never stuck or a 500."""

import logging
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics import runner
from emolytics.extensions import db
from emolytics.jobqueue import InlineQueue, RedisQueue, ThreadQueue, get_queue
from emolytics.pipeline import analysis, datasets, jobs, recovery
from emolytics.pipeline.ingest import Columns, ParsedText
from emolytics.tables import Dataset, EmotionModel, Job, JobPart
from tests.web.api_calls import call, train, upload

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def job_of(app: Flask, dataset_id: int) -> tuple[str, list[str]]:
    """The dataset's analysis status and its parts' statuses."""
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.dataset_id == dataset_id))
        parts = db.session.scalars(select(JobPart.status).where(JobPart.job_id == job.id))
        state = (job.status, list(parts))
        db.session.remove()
        return state


def test_an_upload_the_queue_cannot_take_succeeds_and_its_job_is_recovered(app, api):
    with app.app_context():
        app.extensions["emolytics_queue"] = RedisQueue(UNREACHABLE_REDIS, "nowhere")
    response = upload(api)
    assert response.status_code == 201  # the dataset is stored: the upload worked
    assert response.json["job"]["status"] == "queued"
    dataset_id = response.json["id"]
    assert job_of(app, dataset_id) == ("queued", ["queued"])

    app.extensions["emolytics_queue"] = InlineQueue(runner.run_part)  # the queue is back
    with app.app_context():
        assert recovery.recover_queued(timedelta(hours=1)) == []  # too soon to tell
        assert len(recovery.recover_queued(timedelta(0))) == 1
    assert job_of(app, dataset_id) == ("done", ["done"])


def test_a_dataset_whose_process_died_before_queueing_is_analysed_at_the_next_start(
    app, api, monkeypatch
):
    """The dataset and its job are one transaction: there is no dataset without its job."""
    with monkeypatch.context() as patch:
        patch.setattr(jobs, "enqueue_parts", lambda job_id, parts: None)  # died right here
        dataset_id = upload(api).json["id"]
    assert job_of(app, dataset_id) == ("queued", ["queued"])
    with app.app_context():
        recovery.resume_unfinished()  # what the in-process queue does when it starts
    assert job_of(app, dataset_id) == ("done", ["done"])


def _stored(app: Flask, name: str, texts: int) -> None:
    rows = (ParsedText(line, f"text {line}: I love the tram") for line in range(1, texts + 1))
    with app.app_context():
        upload_request = datasets.Upload(name=name, source="upload")
        dataset = datasets.import_rows(1, upload_request, Columns(text="text"), rows)
        jobs.start_analysis(dataset)


def test_a_small_dataset_queued_after_a_big_one_finishes_first(app, app_factory, monkeypatch):
    threaded = app_factory(JOB_QUEUE="thread", JOB_SLICE_TEXTS=100, ANALYSIS_CHUNK=50)
    with monkeypatch.context() as patch:  # both are queued before the worker starts
        patch.setattr(ThreadQueue, "_ensure_thread", lambda queue: None)
        _stored(threaded, "Big", 600)
        _stored(threaded, "Small", 5)
    with threaded.app_context():
        get_queue()._ensure_thread()
    deadline = time.monotonic() + 60
    with threaded.app_context():
        while db.session.scalar(select(Job).where(Job.status.in_(["queued", "running"]))):
            assert time.monotonic() < deadline, "the jobs never finished"
            db.session.remove()
            time.sleep(0.05)
        finished = dict(
            db.session.execute(
                select(Dataset.name, Job.finished_at).join(Job, Job.dataset_id == Dataset.id)
            ).all()
        )
        assert {job.status for job in db.session.scalars(select(Job))} == {"done"}
        db.session.remove()
        # the worker thread commits "done" before it leaves its app context: wait for it to hand
        # its connection back, else the app's teardown disposes the pool under it and the
        # connection is only collected later, as another test's ResourceWarning
        while db.engine.pool.checkedout():
            assert time.monotonic() < deadline, "the worker kept its connection"
            time.sleep(0.01)
    assert finished["Small"] < finished["Big"]


def _delete(what: str, dataset_id: int, model_id: int) -> None:
    if what == "dataset":
        jobs.delete_dataset(db.session.get(Dataset, dataset_id))
    else:
        jobs.delete_model(db.session.get(EmotionModel, model_id))
        analysis.forget_analyzer(model_id)  # as the views do


@pytest.mark.parametrize("what", ["dataset", "model"])
@pytest.mark.parametrize("moment", ["between two chunks", "after the last chunk"])
def test_a_deletion_during_an_analysis_stops_it_quietly(
    app, api, monkeypatch, caplog, what, moment
):
    """A worker runs the analysis while the user deletes its dataset or model: the worker's
    rows vanish under it (ObjectDeletedError, StaleDataError), which is no internal error."""
    app.config["ANALYSIS_CHUNK"] = 2
    model_id = train(api)["id"]
    dataset_id = upload(api).json["id"]
    with monkeypatch.context() as patch:  # queued for a worker
        patch.setattr(jobs, "enqueue_parts", lambda job_id, parts: None)
        url = f"/api/v1/datasets/{dataset_id}/analyze"
        job_id = call(api, "POST", url, json={"model_id": model_id}).json["id"]
    checks = []

    def check_then_delete(checked_id: int) -> None:
        original_check(checked_id)
        checks.append(checked_id)
        if len(checks) == 2:  # just after the check: the job was still there
            _delete(what, dataset_id, model_id)

    def run_then_delete(job, part, budget):
        complete = original_run(job, part, budget)
        _delete(what, dataset_id, model_id)
        return complete

    original_check, original_run = analysis.check_still_wanted, analysis.run_part
    with monkeypatch.context() as patch, app.app_context():
        if moment == "between two chunks":
            patch.setattr(analysis, "check_still_wanted", check_then_delete)
        else:
            patch.setattr(analysis, "run_part", run_then_delete)
        caplog.set_level(logging.INFO, logger="emolytics")
        runner.run_part(job_id, 0)
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert "the job was deleted" in caplog.text
    with app.app_context():
        assert db.session.get(Job, job_id) is None
