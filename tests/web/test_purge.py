"""Texts, tags, results, terms, counts and points have no foreign keys: every deletion must
still leave none of them behind, and a writer must never add rows for an owner that is gone,
even when the two run at the same time."""

import io
import threading

import pytest
from sqlalchemy import func, select, text

from emolytics.extensions import db
from emolytics.pipeline import analysis, datasets
from emolytics.pipeline.ingest import ParsedText
from emolytics.pipeline.purge import OwnerGone
from emolytics.tables import Dataset, Job, TextRow
from tests.conftest import PASSWORD, csrf_token
from tests.web.model_steps import train

BULK = ("texts", "text_keywords", "results", "job_terms", "job_counts", "job_points")
# rows of each bulk table whose owner is missing
ORPHANS = {
    "texts": "SELECT count(*) FROM texts WHERE dataset_id NOT IN (SELECT id FROM datasets)",
    "text_keywords": "SELECT count(*) FROM text_keywords WHERE dataset_id NOT IN"
    " (SELECT id FROM datasets) OR text_id NOT IN (SELECT id FROM texts)",
    "results": "SELECT count(*) FROM results WHERE job_id NOT IN (SELECT id FROM jobs)"
    " OR text_id NOT IN (SELECT id FROM texts)",
    **{
        table: f"SELECT count(*) FROM {table} WHERE job_id NOT IN (SELECT id FROM jobs)"
        for table in ("job_terms", "job_counts", "job_points")
    },
}
CORPUS = "text,created_at,lat,lon\n" + "".join(
    f'"I love the tram #{n}",2026-03-0{1 + n % 3}T10:00:00Z,48.{n},16.4\n'
    f'"the app crashed again #{n}",2026-03-0{1 + n % 3}T11:00:00Z,,\n'
    for n in range(10)
)


def _upload(client, name: str = "Kept") -> int:
    form = {
        "name": name,
        "keywords": "tram, app",
        "csrf_token": csrf_token(client, "/datasets/new"),
        "file": (io.BytesIO(CORPUS.encode()), "texts.csv"),
    }
    response = client.post("/datasets/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _orphans(app) -> dict[str, int]:
    with app.app_context():
        found = {table: db.session.scalar(text(query)) for table, query in ORPHANS.items()}
    return {table: count for table, count in found.items() if count}


def _rows(app) -> dict[str, int]:
    with app.app_context():
        return {table: db.session.scalar(text(f"SELECT count(*) FROM {table}")) for table in BULK}


def test_deleting_a_dataset_a_model_and_the_account_leaves_no_rows(app, client, auth):
    auth.login()
    kept, deleted = _upload(client), _upload(client, "Deleted")
    alone = _rows(app)
    assert all(alone.values()), alone  # every bulk table has rows of both datasets

    response = auth.post(f"/datasets/{deleted}/delete", {"confirm_name": "Deleted"})
    assert response.status_code == 302
    assert _orphans(app) == {}
    assert all(count * 2 == alone[table] for table, count in _rows(app).items()), _rows(app)

    model_url = train(auth).location
    model_id = int(model_url.rsplit("/", 1)[1])
    rerun = auth.post(
        f"/datasets/{kept}/analyze", {"model": str(model_id)}, token_from=f"/datasets/{kept}"
    )
    assert rerun.status_code == 302
    assert client.get(f"/datasets/{kept}/summary.json").json["labels"] == [
        "billing",
        "bug",
        "question",
    ]
    response = auth.post(f"{model_url}/delete", {"confirm_name": "Tickets"})
    assert response.status_code == 302
    assert _orphans(app) == {}
    with app.app_context():
        assert db.session.get(Dataset, kept).current_job_id is None
    left = _rows(app)
    assert left["texts"] == 20 and left["results"] == left["job_points"] == 0

    auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")
    assert _rows(app) == dict.fromkeys(BULK, 0)


def test_a_chunk_for_a_deleted_job_writes_nothing(app, client, auth):
    auth.login()
    dataset_id = _upload(client)
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.dataset_id == dataset_id))
        ids = list(db.session.scalars(select(TextRow.id).where(TextRow.dataset_id == dataset_id)))
    auth.post(f"/datasets/{dataset_id}/delete", {"confirm_name": "Kept"})
    with app.app_context():
        results = analysis.analyzer_for(None).analyze(["I love the tram"] * len(ids))
        with pytest.raises(OwnerGone):
            analysis.write_chunk(job.id, ids, results, part=None)
        db.session.rollback()
    assert _rows(app) == dict.fromkeys(BULK, 0)


def test_a_feed_push_to_a_deleted_dataset_is_not_found(app, client, auth):
    auth.login()
    dataset_id = _upload(client)
    with app.app_context():
        stale = db.session.get(Dataset, dataset_id)
        db.session.expunge(stale)
    auth.post(f"/datasets/{dataset_id}/delete", {"confirm_name": "Kept"})
    with app.app_context():
        with pytest.raises(datasets.DatasetNotFound):
            datasets.append_texts(stale, [ParsedText(1, "late text", None, None, None, None)])
    assert _rows(app) == dict.fromkeys(BULK, 0)


def test_a_deletion_waits_for_a_chunk_being_written_and_removes_it(app, client, auth):
    """A worker holds its job while it writes a chunk; a deletion meanwhile waits for the
    chunk's commit and then removes its rows too."""
    auth.login()
    dataset_id = _upload(client)
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.dataset_id == dataset_id))
        text_id = db.session.scalar(select(func.max(TextRow.id)))
        writer = db.engine.connect()
    hold = (
        "UPDATE jobs SET id = id WHERE id = :job"  # SQLite: the write lock
        if writer.dialect.name == "sqlite"
        else "SELECT id FROM jobs WHERE id = :job FOR KEY SHARE"
    )
    writer.execute(text(hold), {"job": job_id})
    writer.execute(
        text(
            "INSERT INTO job_terms (job_id, chunk, label, term, weight, texts)"
            " VALUES (:job, :chunk, 'joy', 'late', 1.0, 1)"
        ),
        {"job": job_id, "chunk": text_id + 1},
    )
    answers = []
    deletion = threading.Thread(
        target=lambda: answers.append(
            auth.post(f"/datasets/{dataset_id}/delete", {"confirm_name": "Kept"})
        )
    )
    deletion.start()
    deletion.join(timeout=1.0)
    assert deletion.is_alive()  # waiting for the chunk
    writer.commit()
    writer.close()
    deletion.join(timeout=30)
    assert answers and answers[0].status_code == 302
    assert _orphans(app) == {}
    assert _rows(app) == dict.fromkeys(BULK, 0)
