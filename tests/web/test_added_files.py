"""A file's texts added to a dataset through its page: the columns read, the analysis that
takes them in, corrections kept, refusals that store nothing."""

import io
from datetime import UTC, datetime

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import jobs
from emolytics.tables import Correction, Dataset, Job, Result, TextKeyword, TextRow
from tests.conftest import csrf_token
from tests.engine.workbook_files import workbook_sheets
from tests.web.audit_rows import events
from tests.web.correction_steps import _correct_on_page, _text, _upload
from tests.web.uploads import counts

APRIL = (
    "text,created_at,author,lat,lon\n"
    '"The tram was late again, I am furious",2026-04-02T08:00:00Z,gus,,\n'
    '"Lovely quiet ride this morning",2026-04-03T09:00:00Z,hal,48.2,16.3\n'
)


def add(auth, dataset_id: int, content: bytes | str, filename: str = "april.csv", **fields):
    data = content.encode() if isinstance(content, str) else content
    url = f"/datasets/{dataset_id}/files"
    form = {"csrf_token": csrf_token(auth.client, url), "file": (io.BytesIO(data), filename)}
    return auth.client.post(url, data={**form, **fields}, content_type="multipart/form-data")


def flash_of(auth, dataset_id: int) -> str:
    return auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)


def test_the_page_says_where_the_columns_come_from(auth, dataset_id):
    page = auth.client.get(f"/datasets/{dataset_id}/files").get_data(as_text=True)
    assert "Add texts from a file" in page and "6 texts" in page
    assert "(text, created_at, author, lat, lon)" in page
    dashboard = auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert f'href="/datasets/{dataset_id}/files"' in dashboard


def test_a_file_joins_the_dataset_and_everything_is_analysed_again(app, auth, dataset_id):
    with app.app_context():
        first_job = db.session.get(Dataset, dataset_id).current_job_id
    response = add(auth, dataset_id, APRIL)
    assert response.status_code == 302
    assert response.location == f"/datasets/{dataset_id}"
    page = flash_of(auth, dataset_id)
    assert "2 texts added from april.csv (read as UTF-8; texts from “text”; " in page
    assert "times from “created_at”; authors from “author”;" in page
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        assert dataset.row_count == 8 and dataset.current_job_id != first_job
        added = db.session.execute(
            select(TextRow.line, TextRow.posted_at, TextRow.author, TextRow.lat)
            .where(TextRow.dataset_id == dataset_id)
            .order_by(TextRow.id.desc())
            .limit(2)
        ).all()
        assert added[1] == (2, datetime(2026, 4, 2, 8, tzinfo=UTC), "gus", None)
        assert added[0][2:] == ("hal", 48.2)
        results = db.session.scalar(
            select(func.count()).where(Result.job_id == dataset.current_job_id)
        )
        assert results == 8
        tagged = db.session.scalar(
            select(func.count()).where(
                TextKeyword.dataset_id == dataset_id, TextKeyword.keyword == "tram"
            )
        )
        assert tagged == 5  # four of the upload's, one of the file's
    summary = auth.client.get(f"/datasets/{dataset_id}/summary.json").get_json()
    assert summary["analysed"] == 8 and summary["map"]["geotagged"] == 3
    [event] = events(app, "dataset.file_added")
    assert (event["actor_name"], event["target"]) == ("ada", f'dataset {dataset_id} "Reviews"')


def test_renamed_columns_are_guessed_and_named_ones_win(app, auth, dataset_id):
    renamed = "Review,Date,Comment\nTerrible delays all week,2026-04-05,ok\n"
    assert add(auth, dataset_id, renamed, "renamed.csv").status_code == 302
    page = flash_of(auth, dataset_id)
    assert "texts from “Review”; times from “Date”)" in page
    assert (
        add(auth, dataset_id, renamed, "again.csv", text_column="Comment", again="y").status_code
        == 302
    )
    with app.app_context():
        texts = db.session.scalars(
            select(TextRow.text).where(TextRow.dataset_id == dataset_id).order_by(TextRow.id)
        ).all()
    assert texts[-2:] == ["Terrible delays all week", "ok"]


def test_a_workbooks_sheet_is_read_as_named(app, auth, dataset_id):
    book = workbook_sheets(
        {
            "Summary": [["April's answers"], ["Exported", "2026-04-30"]],
            "Answers": [["text", "created_at"], ["Grateful for the night trams", "2026-04-09"]],
        }
    )
    refused = add(auth, dataset_id, book, "april.xlsx", sheet="Answer")
    assert refused.status_code == 400
    assert "no sheet named &#39;Answer&#39;: its sheets are" in refused.get_data(as_text=True)
    assert add(auth, dataset_id, book, "april.xlsx", sheet="answers").status_code == 302
    page = flash_of(auth, dataset_id)
    assert "1 text added from april.xlsx (read as an Excel workbook; texts from “text”" in page
    with app.app_context():
        newest = db.session.scalar(select(TextRow.text).order_by(TextRow.id.desc()).limit(1))
    assert newest == "Grateful for the night trams"


def test_a_workbook_again_is_known_whichever_way_its_sheet_is_named(app, auth, dataset_id):
    book = workbook_sheets(
        {
            "Answers": [["text", "created_at"], ["Grateful for the night trams", "2026-04-09"]],
            "Notes": [["text"], ["Exported from the survey tool"]],
        }
    )
    assert add(auth, dataset_id, book, "april.xlsx").status_code == 302  # the first sheet
    again = add(auth, dataset_id, book, "april.xlsx", sheet="answers")
    assert again.status_code == 409
    assert "This file is in the dataset already: “april.xlsx” (1 text" in again.get_data(
        as_text=True
    )
    assert add(auth, dataset_id, book, "april.xlsx", sheet="Notes").status_code == 302
    assert add(auth, dataset_id, book, "april.xlsx", sheet="notes").status_code == 409
    assert add(auth, dataset_id, book, "april.xlsx", sheet="Notes ").status_code == 409
    # the same bytes of a file that is no workbook, a sheet named: refused as before
    assert add(auth, dataset_id, APRIL, "april.csv").status_code == 302
    refused = add(auth, dataset_id, APRIL, "april.csv", sheet="Answers")
    assert refused.status_code == 400
    assert "A sheet (&#39;Answers&#39;) is named, but the file is not a workbook" in (
        refused.get_data(as_text=True)
    )


def test_a_column_the_file_lacks_is_refused_under_its_field(app, auth, dataset_id):
    before = counts(app)
    response = add(auth, dataset_id, APRIL, time_column="when")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The file has no column named &#39;when&#39;" in page
    assert 'id="time_column-errors"' in page and '<details class="columns" open>' in page
    assert counts(app) == before


def test_unreadable_rows_refuse_the_file_or_are_skipped_and_named(app, auth, dataset_id):
    bad = "text,created_at\nfine,2026-04-01\nalso fine,yesterday\n,2026-04-02\nthird,\n"
    before = counts(app)
    refused = add(auth, dataset_id, bad)
    assert refused.status_code == 400
    assert "2 rows cannot be read: line 3: unreadable timestamp" in refused.get_data(as_text=True)
    assert counts(app) == before
    assert add(auth, dataset_id, bad, skip_bad_rows="y").status_code == 302
    page = flash_of(auth, dataset_id)
    assert "2 texts added from april.csv" in page
    assert "2 unreadable rows skipped: line 3 (unreadable timestamp" in page
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).row_count == 8

    compact = '[{"text": "fine", "created_at": "2026-04-03"}, {"text": null}]'
    refused = add(auth, dataset_id, compact, "may.json")  # its records share line 1
    assert "1 row cannot be read: record 2: no text" in refused.get_data(as_text=True)
    assert add(auth, dataset_id, compact, "may.json", skip_bad_rows="y").status_code == 302
    assert "1 unreadable row skipped: record 2 (no text)." in flash_of(auth, dataset_id)


def test_bad_files_store_nothing(app, auth, dataset_id):
    before = counts(app)
    for content, filename, message in [
        (b"", "april.csv", "The file is empty."),
        (b"text\n\n", "april.csv", "holds no texts"),
        (b"hello", "april.pdf", "Use a CSV, XLSX, JSON, JSONL or TXT file."),
        (b"text\nhi\n", "april.csv", "is named, but the file is not a workbook"),
    ]:
        sheet = {"sheet": "Answers"} if "workbook" in message else {}
        response = add(auth, dataset_id, content, filename, **sheet)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True)
    assert counts(app) == before
    assert events(app, "dataset.file_added") == []


def test_the_quota_refuses_the_whole_file(app, auth, dataset_id):
    app.config.update(MAX_STORED_ROWS=7)
    before = counts(app)
    response = add(auth, dataset_id, APRIL)
    assert response.status_code == 413
    assert "datasets hold 6 texts and may hold 7 in all" in response.get_data(as_text=True)
    assert counts(app) == before


def test_corrections_stay_and_the_model_stays(app, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    assert add(auth, dataset_id, "text\nI love the new tram 99\n").status_code == 302
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        result = db.session.execute(
            select(Result.label, Result.model_label).where(
                Result.job_id == dataset.current_job_id, Result.text_id == text_id
            )
        ).one()
        assert tuple(result) == ("anger", "joy")
        assert db.session.scalar(select(func.count()).select_from(Correction)) == 1
        assert db.session.get(Job, dataset.current_job_id).model_id is None


def test_an_analysis_under_way_takes_the_texts_in(app, auth, dataset_id):
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        waiting = jobs.stage_analysis(dataset)  # queued, not run: as if a worker were busy
        db.session.commit()
        waiting_id = waiting.id
    assert add(auth, dataset_id, APRIL).status_code == 302
    assert "the analysis under way takes them in before it ends" in flash_of(auth, dataset_id)
    with app.app_context():
        analyses = db.session.scalars(
            select(Job.id).where(Job.dataset_id == dataset_id, Job.kind == "analysis")
        ).all()
        assert max(analyses) == waiting_id  # no other one started


def test_viewers_cannot_add_files(app, auth, client, research):
    auth.login("ada")
    client.post(
        "/teams/switch", data={"team_id": research, "csrf_token": csrf_token(client, "/teams")}
    )
    with app.app_context():
        dataset_id = db.session.scalar(select(Dataset.id).where(Dataset.team_id == research))
    assert client.get(f"/datasets/{dataset_id}/files").status_code == 403
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert f"/datasets/{dataset_id}/files" not in page
