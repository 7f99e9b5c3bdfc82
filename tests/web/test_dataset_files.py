"""A dataset's files on its page: listed with their texts, the same file refused a second time
unless asked for, a file's texts taken out again (asked first) with the counts, map, texts and
corrections left exactly as if it had never been added; refusals that change nothing."""

import io

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import counts, taking_out
from emolytics.tables import (
    Correction,
    Dataset,
    DatasetFile,
    Job,
    JobCount,
    JobKind,
    JobPoint,
    JobStatus,
    Result,
    TextKeyword,
    TextRow,
)
from tests.conftest import csrf_token
from tests.web.audit_rows import events
from tests.web.correction_steps import _correct_on_page, _text, _upload

# three texts in the hours of the upload's (groups they share), one geotagged, one on the tram
MARCH = (
    "text,created_at,lat,lon\n"
    '"The tram was late again and I am furious",2026-03-01T00:10:00Z,,\n'
    '"What a lovely quiet ride",2026-03-01T01:20:00Z,48.2,16.3\n'
    '"Nothing to report today",2026-03-01T02:30:00Z,,\n'
)


def add(auth, dataset_id: int, content: str = MARCH, filename: str = "march.csv", **fields):
    url = f"/datasets/{dataset_id}/files"
    form = {
        "csrf_token": csrf_token(auth.client, url),
        "file": (io.BytesIO(content.encode()), filename),
    }
    return auth.client.post(url, data={**form, **fields}, content_type="multipart/form-data")


def stored_counts(app, dataset_id: int) -> list[tuple]:
    """The current analysis's counts and points, as comparable rows."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        grouped = db.session.execute(
            select(
                JobCount.keyword,
                JobCount.also,
                JobCount.label,
                JobCount.language,
                JobCount.segment,
                JobCount.hour,
                JobCount.texts,
                JobCount.geotagged,
                JobCount.corrected,
                JobCount.valence_sum,
            ).where(JobCount.job_id == job_id, JobCount.texts > 0)
        ).all()
        points = db.session.execute(
            select(JobPoint.keyword, JobPoint.text_id, JobPoint.label).where(
                JobPoint.job_id == job_id
            )
        ).all()
        rounded = [(*row[:-1], round(row[-1], 6)) for row in grouped]  # sums of floats
        return sorted(rounded, key=repr) + sorted(map(tuple, points))


def recounted(app, dataset_id: int) -> list[tuple]:
    """The same, counted afresh from the texts and results."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        counts.count_results(job_id, dataset_id)
        db.session.commit()
    return stored_counts(app, dataset_id)


@pytest.fixture
def dataset_id(auth) -> int:
    return _upload(auth)


def _file_ids(app, dataset_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(DatasetFile.id)
                .where(DatasetFile.dataset_id == dataset_id)
                .order_by(DatasetFile.id)
            )
        )


def test_the_page_lists_the_upload_and_each_file_added(app, auth, dataset_id):
    assert add(auth, dataset_id).status_code == 302
    page = auth.client.get(f"/datasets/{dataset_id}/files").get_data(as_text=True)
    assert "Files of this dataset" in page
    assert page.count('data-role="file"') == 2
    assert "tram.csv</td>" in page and "march.csv</td>" in page
    assert '<td class="number">24</td>' in page and '<td class="number">3</td>' in page
    assert page.count(" by ada</td>") == 2
    furious, _ = _text(app, dataset_id, "The tram was late again and I am furious")
    text_page = auth.client.get(f"/datasets/{dataset_id}/texts/{furious}").get_data(as_text=True)
    assert "<h1>Text on line 2 of march.csv</h1>" in text_page
    with app.app_context():
        upload, march = db.session.scalars(select(DatasetFile).order_by(DatasetFile.id)).all()
        assert (upload.name, upload.texts, upload.skipped) == ("tram.csv", 24, 0)
        assert (march.name, march.texts, march.size) == ("march.csv", 3, len(MARCH.encode()))
        by_file = db.session.execute(
            select(TextRow.file_id, func.count()).group_by(TextRow.file_id)
        ).all()
        assert sorted(by_file) == [(upload.id, 24), (march.id, 3)]


def test_the_same_file_again_is_refused_unless_asked_for(app, auth, dataset_id):
    assert add(auth, dataset_id).status_code == 302
    again = add(auth, dataset_id, filename="march-copy.csv")
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "This file is in the dataset already: “march.csv” (3 texts, added " in page
    assert "would count its texts twice" in page
    assert "Add it again even though this dataset has it already" in page
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).row_count == 27
        assert db.session.scalar(select(func.count()).select_from(DatasetFile)) == 2
    assert add(auth, dataset_id, filename="march-copy.csv", again="y").status_code == 302
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).row_count == 30
    # the same rows in other bytes are another file
    assert add(auth, dataset_id, MARCH.replace("\n", "\r\n")).status_code == 302


@pytest.mark.parametrize("share", [1.0, 0.0], ids=["text by text", "counted afresh"])
def test_a_files_texts_are_taken_out_as_if_never_added(app, auth, dataset_id, monkeypatch, share):
    monkeypatch.setattr(taking_out, "TAKEN_OUT_SHARE", share)
    kept, _ = _text(app, dataset_id, "I love the new tram 0")
    assert _correct_on_page(auth, dataset_id, kept, "surprise").status_code == 302
    before = stored_counts(app, dataset_id)
    summary_before = auth.client.get(f"/datasets/{dataset_id}/summary.json").get_json()
    assert add(auth, dataset_id).status_code == 302
    upload_id, march_id = _file_ids(app, dataset_id)
    furious, _ = _text(app, dataset_id, "The tram was late again and I am furious")
    assert _correct_on_page(auth, dataset_id, furious, "joy").status_code == 302
    assert stored_counts(app, dataset_id) != before
    url = f"/datasets/{dataset_id}/files/{march_id}/remove"
    asked = auth.client.get(url)
    assert asked.status_code == 200
    question = asked.get_data(as_text=True)
    assert "Take the texts of “march.csv” (3 texts, added " in question
    assert "Their results and keyword tags go with them, and the team&#39;s 1 correction of" in (
        question
    )
    removed = auth.client.post(url, data={"csrf_token": csrf_token(auth.client, url)})
    assert removed.status_code == 302 and removed.location == f"/datasets/{dataset_id}/files"
    page = auth.client.get(removed.location).get_data(as_text=True)
    assert "Taken out: the 3 texts of “march.csv”, with 1 correction." in page
    assert page.count('data-role="file"') == 1
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        assert dataset.row_count == 24
        assert db.session.scalar(select(func.count()).select_from(TextRow)) == 24
        assert (
            db.session.scalar(select(func.count()).where(Result.job_id == dataset.current_job_id))
            == 24
        )
        assert db.session.scalar(select(func.count()).where(TextKeyword.text_id == furious)) == 0
        assert db.session.scalars(select(Correction.text_id)).all() == [kept]
        assert _file_ids(app, dataset_id) == [upload_id]
        job = db.session.get(Job, dataset.current_job_id)
        assert (job.done, job.total) == (24, 24)
    after = stored_counts(app, dataset_id)
    assert after == before  # as if the file had never been added
    assert after == recounted(app, dataset_id)  # and exactly what counting afresh finds
    summary = auth.client.get(f"/datasets/{dataset_id}/summary.json").get_json()
    assert summary["analysed"] == summary_before["analysed"] == 24
    assert summary["distribution"] == summary_before["distribution"]
    assert summary["map"]["geotagged"] == summary_before["map"]["geotagged"]
    texts = auth.client.get(f"/datasets/{dataset_id}/texts?q=furious").get_data(as_text=True)
    assert "The tram was late again and I am furious" not in texts
    [event] = events(app, "dataset.file_removed")
    assert event["target"].startswith("“march.csv” (3 texts, added ")
    assert event["target"].endswith(f'of dataset {dataset_id} "Tram"')


def test_taking_out_the_only_texts_or_while_they_are_analysed_is_refused(app, auth, dataset_id):
    [upload_id] = _file_ids(app, dataset_id)
    page = auth.client.get(f"/datasets/{dataset_id}/files").get_data(as_text=True)
    assert "Take its texts out" not in page  # they are all the dataset has
    url = f"/datasets/{dataset_id}/files/{upload_id}/remove"
    refused = auth.client.post(url, data={"csrf_token": csrf_token(auth.client, url)})
    assert refused.status_code == 302
    page = auth.client.get(refused.location).get_data(as_text=True)
    assert "These are all of the dataset&#39;s texts: delete the dataset instead." in page
    assert add(auth, dataset_id).status_code == 302
    march_id = _file_ids(app, dataset_id)[1]
    url = f"/datasets/{dataset_id}/files/{march_id}/remove"
    for kind, said in (
        (JobKind.TAGGING, "Tagging this dataset&#39;s texts with its keywords is under way"),
        (JobKind.ANALYSIS, "An analysis of this dataset is under way"),
    ):
        with app.app_context():
            team_id = db.session.get(Dataset, dataset_id).team_id
            running = Job(
                team_id=team_id, dataset_id=dataset_id, kind=kind, status=JobStatus.RUNNING
            )
            db.session.add(running)
            db.session.commit()
            running_id = running.id
        refused = auth.client.post(url, data={"csrf_token": csrf_token(auth.client, url)})
        assert said in auth.client.get(refused.location).get_data(as_text=True)
        with app.app_context():
            db.session.get(Job, running_id).status = JobStatus.DONE
            db.session.commit()
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).row_count == 27
        assert len(_file_ids(app, dataset_id)) == 2


def test_another_datasets_file_is_not_found(app, auth, dataset_id):
    other = _upload(auth, signed_in=True)
    [foreign] = _file_ids(app, other)
    assert add(auth, dataset_id).status_code == 302
    token = csrf_token(auth.client, f"/datasets/{dataset_id}/files")
    for url in (
        f"/datasets/{dataset_id}/files/{foreign}/remove",
        f"/datasets/{dataset_id}/files/999/remove",
        f"/datasets/{other}/files/{_file_ids(app, dataset_id)[1]}/remove",
    ):
        assert auth.client.get(url).status_code == 404
        assert auth.client.post(url, data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.get(Dataset, other).row_count == 24
