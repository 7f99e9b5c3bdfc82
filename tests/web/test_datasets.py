"""Datasets through the pages: upload, bad files, encodings, dashboard numbers, exports."""

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select, text

from emolytics.extensions import db
from emolytics.pipeline import chunks
from emolytics.pipeline import counts as job_counts
from emolytics.tables import Dataset, Job, Result, TextKeyword, TextRow
from tests.conftest import AuthActions

REVIEWS = (
    "text,created_at,author,lat,lon\n"
    '"I love the new #tram, it is soooo fast 😍",2026-03-01T08:00:00Z,ana,48.21,16.37\n'
    '"The tram delays make me furious, worst service ever 😡",2026-03-02T09:30:00Z,ben,,\n'
    '"Tickets are too expensive and the app crashed again",2026-03-03T18:00:00Z,cy,48.2,16.4\n'
    '"I am scared to ride the tram at night",2026-03-04T22:10:00Z,dee,,\n'
    '"Wow, I did not expect the TRAM to be free this weekend!",2026-03-05T10:00:00Z,eve,,\n'
    '"The app shows the timetable.",,fay,,\n'
)


def upload(auth, content: bytes | str, filename: str = "reviews.csv", **fields: str):
    data = content.encode() if isinstance(content, str) else content
    form = {"name": fields.pop("name", "Reviews"), "keywords": "tram, app, tickets", **fields}
    form["csrf_token"] = _token(auth, "/datasets/new")
    form["file"] = (io.BytesIO(data), filename)
    return auth.client.post("/datasets/new", data=form, content_type="multipart/form-data")


def _token(auth, url: str) -> str:
    from tests.conftest import csrf_token

    return csrf_token(auth.client, url)


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Dataset, TextRow, Result)
        )


@pytest.fixture
def dataset_id(app, client, auth) -> int:
    auth.login()
    response = upload(auth, REVIEWS)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def test_upload_analyses_every_text(app, client, dataset_id):
    page = client.get(f"/datasets/{dataset_id}")
    assert page.status_code == 200
    assert "6 texts" in page.get_data(as_text=True)
    assert counts(app) == (1, 6, 6)
    with app.app_context():
        job = db.session.scalar(select(Job))
        assert (job.status, job.done, job.total) == ("done", 6, 6)
        dataset = db.session.get(Dataset, dataset_id)
        assert dataset.current_job_id == job.id
        stored = db.session.scalar(select(TextRow).where(TextRow.author == "ana"))
        assert stored.text == "I love the new #tram, it is soooo fast 😍"
        assert stored.posted_at.isoformat() == "2026-03-01T08:00:00+00:00"
        assert (stored.lat, stored.lon) == (48.21, 16.37)


def test_summary_numbers(client, dataset_id):
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["analysed"] == 6
    assert sum(item["count"] for item in summary["distribution"]) == 6
    assert [item["label"] for item in summary["distribution"]] == summary["labels"]
    assert summary["timeline"]["bucket"] == "day"
    assert [point["t"] for point in summary["timeline"]["points"]] == [
        f"2026-03-0{day}T00:00:00Z" for day in range(1, 6)
    ]
    by_keyword = {item["keyword"]: item["total"] for item in summary["keywords"]}
    assert by_keyword == {"tram": 4, "app": 2, "tickets": 1}
    assert summary["map"]["geotagged"] == 2
    assert sorted(point[:2] for point in summary["map"]["points"]) == [[48.2, 16.4], [48.21, 16.37]]
    assert summary["terms"] == {}  # no word is in three texts of one emotion: none is typical


def test_top_terms_follow_the_emotion_filter_and_ignore_case(app, client, auth):
    auth.login()
    content = "text\n" + "".join(
        f"{word} what a surprise {n}\n" for n in range(5) for word in ("Wow", "wow", "WOW")
    )
    dataset_url = upload(auth, content).location
    terms = client.get(f"{dataset_url}/summary.json").json["terms"]
    label = next(iter(terms))
    words = [item["term"] for item in terms[label]]
    assert words.count("wow") == 1 and "Wow" not in words and "WOW" not in words
    assert all(item["term"] not in ("what", "a") for items in terms.values() for item in items)
    only = client.get(f"{dataset_url}/summary.json?label={label}").json["terms"]
    assert list(only) == [label]


def test_big_analyses_explain_a_scaled_sample(app, client, auth, monkeypatch):
    from emolytics.pipeline import terms

    monkeypatch.setattr(terms, "EXPLAINED_PER_JOB", 4)  # 12 texts: every 3rd is explained
    auth.login()
    content = "text\n" + "".join(f"I love this wonderful tram {n}\n" for n in range(12))
    dataset_url = upload(auth, content).location
    summary = client.get(f"{dataset_url}/summary.json").json
    assert summary["analysed"] == 12  # every text has its result
    counts = [item["texts"] for items in summary["terms"].values() for item in items]
    assert counts and all(count % 3 == 0 for count in counts)


def test_filters_narrow_every_number(client, dataset_id):
    def analysed(query: str) -> int:
        response = client.get(f"/datasets/{dataset_id}/summary.json?{query}")
        assert response.status_code == 200
        return response.json["analysed"]

    assert analysed("keyword=tram") == 4
    assert analysed("keyword=app&q=crashed") == 1
    assert analysed("start=2026-03-02&end=2026-03-04") == 3
    assert analysed("q=TRAM") == 4  # case-insensitive search
    assert analysed("q=%25") == 0  # % is a character, not a wildcard
    label = client.get(f"/datasets/{dataset_id}/summary.json").json["distribution"][0]["label"]
    total = client.get(f"/datasets/{dataset_id}/summary.json?label={label}").json
    assert total["analysed"] == total["distribution"][0]["count"]


@pytest.mark.parametrize(
    "query", ["label=happiness", "start=yesterday", "end=2026-13-01", "page=x&label=nope"]
)
def test_bad_filters_get_400(client, dataset_id, query):
    response = client.get(f"/datasets/{dataset_id}/summary.json?{query}")
    assert response.status_code == 400


def test_texts_page_highlights_contributing_words(client, dataset_id):
    page = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert "6 texts match" in page
    assert re.search(r'<mark class="emo-\w+">', page)
    assert page.index("2026-03-05") < page.index("2026-03-01")  # newest first
    filtered = client.get(f"/datasets/{dataset_id}/texts?keyword=tickets").get_data(as_text=True)
    assert "1 text matches" in filtered and "expensive" in filtered


def test_a_text_opens_with_its_scores_and_reasons(app, client, dataset_id):
    with app.app_context():
        text_id = db.session.scalar(select(TextRow.id).where(TextRow.author == "ben"))
    listing = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert f"/datasets/{dataset_id}/texts/{text_id}" in listing
    page = client.get(f"/datasets/{dataset_id}/texts/{text_id}").get_data(as_text=True)
    assert "Text on line 3" in page
    assert "furious" in page and "<mark" in page
    assert page.count("<meter") == 7
    assert client.get(f"/datasets/{dataset_id}/texts/999999").status_code == 404


def test_texts_are_escaped(app, client, auth):
    auth.login()
    dataset_url = upload(auth, 'text\n"<script>alert(1)</script> I love it"\n').location
    page = client.get(f"{dataset_url}/texts").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_exports_stream_every_result(client, dataset_id):
    response = client.get(f"/datasets/{dataset_id}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="Reviews-results.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 6
    assert {"text", "label", "valence", "score_joy", "score_anger"} <= set(rows[0])
    assert all(
        abs(sum(float(v) for k, v in row.items() if k.startswith("score_")) - 1) < 0.01
        for row in rows
    )
    lines = client.get(f"/datasets/{dataset_id}/export.jsonl").get_data(as_text=True).splitlines()
    assert len(lines) == 6
    assert json.loads(lines[0])["text"] == "I love the new #tram, it is soooo fast 😍"
    filtered = client.get(f"/datasets/{dataset_id}/export.csv?keyword=tickets").get_data(
        as_text=True
    )
    assert filtered.count("\n") == 2


def test_summary_download(client, dataset_id):
    response = client.get(f"/datasets/{dataset_id}/summary.json?download=1")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.json["analysed"] == 6


def test_exported_csv_neutralises_formulas(client, auth):
    auth.login()
    dataset_url = upload(
        auth, 'text,author\n"=cmd|\' /C calc\'!A0 I hate this",@evil\n"+1 great",bob\n'
    ).location
    exported = client.get(f"{dataset_url}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][2] == "'=cmd|' /C calc'!A0 I hate this"
    assert rows[1][4] == "'@evil"
    assert rows[2][2] == "'+1 great"


def test_csv_export_for_excel_starts_with_a_byte_order_mark(client, auth):
    auth.login()
    content = 'text,author\n"Crème brûlée, I love it 😍",zoë\n"=HYPERLINK(1) awful",@evil\n'
    dataset_url = upload(auth, content).location
    page = client.get(dataset_url).get_data(as_text=True)
    link = re.search(r'href="([^"]*)"[^>]*>Export CSV for Excel<', page)
    assert link and "excel=1" in link.group(1)
    exported = client.get(link.group(1).replace("&amp;", "&"))
    assert exported.status_code == 200
    assert exported.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "line", "text"]
    assert rows[1][2:5:2] == ["Crème brûlée, I love it 😍", "zoë"]
    assert rows[2][2:5:2] == ["'=HYPERLINK(1) awful", "'@evil"]  # still inert
    assert not client.get(f"{dataset_url}/export.csv").data.startswith(b"\xef\xbb\xbf")


ENCODED = [
    ("utf-8-sig", "text\nCafé crème, j'adore\n".encode("utf-8-sig")),
    ("utf-16", "text\nCafé crème, j'adore\n".encode("utf-16")),
    ("latin-1", "text\nCafé crème, j'adore\n".encode("latin-1")),
]


@pytest.mark.parametrize(("encoding", "content"), ENCODED)
def test_encodings(app, auth, encoding, content):
    auth.login()
    assert upload(auth, content).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TextRow.text)) == "Café crème, j'adore"


def test_jsonl_and_txt_uploads(app, auth):
    auth.login()
    jsonl = '{"text": "so happy today", "created_at": 1767225600}\n{"text": "sad news"}\n'
    assert upload(auth, jsonl, "feed.jsonl").status_code == 302
    assert upload(auth, "first line\n\nsecond line\n", "notes.txt").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TextRow)) == 4
        counts = db.session.scalars(select(Dataset.row_count).order_by(Dataset.id)).all()
        assert counts == [2, 2]


BAD_UPLOADS = [
    (b"", "reviews.csv", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "reviews.csv", "binary file"),
    (b"title\nhello\n", "reviews.csv", "no text column"),
    (b"text\n" + b"x" * 100_000 + b"\n", "reviews.csv", "longer than 20,000 characters"),
    (b"text\nfine\n" + b"ok " * 30_000 + b"\nbad \xff\xfe\n", "reviews.csv", "not valid UTF-8"),
    (b'text\n"fine"\n"cut short', "reviews.csv", "is the file cut short"),
    (b'{"text": "fine"}\n{"text": "cut', "feed.jsonl", "line 2: not valid JSON"),
    (b'{"text": "fine \\ud83d\\ude00"}\n{"text": "half \\ud800"}', "feed.jsonl", "line 2: a \\u"),
    (b"text\n\n\n", "reviews.csv", "holds no texts"),
    (b"hello", "notes.pdf", "Use a CSV, JSON, JSONL or TXT file."),
    (b"text,created_at\nhi,yesterday\n", "reviews.csv", "unreadable timestamp"),
    (b"text,lat,lon\nhi,95,10\n", "reviews.csv", "coordinates out of range"),
]


@pytest.mark.parametrize(("content", "filename", "message"), BAD_UPLOADS)
def test_bad_uploads_store_nothing(app, auth, content, filename, message):
    auth.login()
    response = upload(auth, content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)


def test_upload_over_the_size_limit_gets_413(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=10_000)
    client = app.test_client()
    auth = AuthActions(client)
    auth.register("grace", "violet harbour 1987")
    response = upload(auth, "text\n" + "too much\n" * 5000)
    assert response.status_code == 413
    assert "larger than this server accepts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0


def test_bad_rows_can_be_skipped_and_are_listed(app, client, auth):
    auth.login()
    content = 'text,created_at\nfine,2026-01-01\n"",2026-01-02\nalso fine,not a date\nok,\n'
    refused = upload(auth, content)
    assert refused.status_code == 400
    assert "2 rows cannot be read: line 3: no text; line 4: unreadable timestamp" in (
        refused.get_data(as_text=True)
    )
    stored = upload(auth, content, skip_bad_rows="y")
    assert stored.status_code == 302
    page = client.get(stored.location).get_data(as_text=True)
    assert "2 rows could not be read and were skipped" in page
    assert "line 4: unreadable timestamp" in page
    assert counts(app) == (1, 2, 2)


def test_columns_can_be_chosen(app, auth):
    auth.login()
    content = "headline,when\nWhat a lovely day,2026-02-01 10:00:00\n"
    assert upload(auth, content).status_code == 400  # no column named like a text
    response = upload(auth, content, text_column="headline", time_column="when")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(TextRow))
        assert (row.text, row.posted_at.isoformat()) == (
            "What a lovely day",
            "2026-02-01T10:00:00+00:00",
        )
    assert upload(auth, content, text_column="nope").status_code == 400


def test_preview_guesses_columns(client, auth):
    auth.login()
    form = {"file": (io.BytesIO(REVIEWS.encode()), "reviews.csv")}
    response = client.post(
        "/datasets/preview",
        data=form,
        content_type="multipart/form-data",
        headers={"X-CSRFToken": _token(auth, "/datasets/new")},
    )
    assert response.status_code == 200
    assert response.json["guesses"] == {
        "text": "text",
        "posted_at": "created_at",
        "author": "author",
        "lat": "lat",
        "lon": "lon",
    }
    assert len(response.json["rows"]) == 6


def field_errors(page: str, field_id: str) -> list[str]:
    """The error messages shown in the form field whose control has id `field_id`."""
    block = next(part for part in page.split('<div class="field') if f'id="{field_id}"' in part)
    return re.findall(r'<p class="error">(.*?)</p>', block)


HEADLINES = "headline,when\nWhat a lovely day,2026-02-01 10:00:00\n"
COLUMN_ERRORS = [
    ({}, "text_column", "There is no text column: choose the column that holds the texts."),
    (
        {"text_column": "nope"},
        "text_column",
        "The file has no column named &#39;nope&#39;: choose one of &#39;headline&#39;, "
        "&#39;when&#39;.",
    ),
    (
        {"text_column": "headline", "time_column": "sent"},
        "time_column",
        "The file has no column named &#39;sent&#39;: choose one of &#39;headline&#39;, "
        "&#39;when&#39;.",
    ),
]


@pytest.mark.parametrize(("columns", "field_id", "message"), COLUMN_ERRORS)
def test_unknown_or_missing_columns_are_errors_on_their_field(
    app, auth, columns, field_id, message
):
    auth.login()
    response = upload(auth, HEADLINES, **columns)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page, field_id) == [message]
    assert field_errors(page, "file") == []
    # Without script the form comes back with the columns as typed and asks for the file again.
    for name, value in columns.items():
        assert re.search(rf'<input [^>]*id="{name}"[^>]* value="{value}">', page)
    assert "choose the file again" in page
    assert counts(app) == (0, 0, 0)


def test_the_upload_page_script_gets_json_answers(app, auth):
    auth.login()
    json_answer = {"Accept": "application/json"}
    token = _token(auth, "/datasets/new")
    form = {"name": "Headlines", "csrf_token": token, "text_column": "nope"}
    refused = auth.client.post(
        "/datasets/new",
        data={**form, "file": (io.BytesIO(HEADLINES.encode()), "headlines.csv")},
        headers=json_answer,
    )
    assert refused.status_code == 400
    assert refused.json == {
        "errors": {
            "text_column": [
                "The file has no column named 'nope': choose one of 'headline', 'when'."
            ]
        }
    }
    assert counts(app) == (0, 0, 0)
    stored = auth.client.post(
        "/datasets/new",
        data={
            **form,
            "text_column": "headline",
            "file": (io.BytesIO(HEADLINES.encode()), "headlines.csv"),
        },
        headers=json_answer,
    )
    assert stored.status_code == 200
    location = stored.json["location"]
    assert re.fullmatch(r"/datasets/\d+", location)
    # The notice waits for the page the script goes to.
    page = auth.client.get(location).get_data(as_text=True)
    assert "1 text uploaded (read as UTF-8); analysis started." in page


def preview(auth, content: str, filename: str = "reviews.csv", **columns: str):
    return auth.client.post(
        "/datasets/preview",
        data={"file": (io.BytesIO(content.encode()), filename), **columns},
        content_type="multipart/form-data",
        headers={"X-CSRFToken": _token(auth, "/datasets/new")},
    )


def test_preview_lists_the_rows_the_upload_would_refuse(auth):
    auth.login()
    content = 'text,created_at\nfine,2026-01-01\n"",2026-01-02\nalso fine,not a date\n"a","b","c"\n'
    found = preview(auth, content).json
    assert found["lines"] == [2, 3, 4]
    assert found["problems"] == [
        {"line": 3, "reason": "no text"},
        {"line": 4, "reason": "unreadable timestamp 'not a date'"},
        {"line": 5, "reason": "3 fields, but the header has 2"},
    ]
    # Rows are checked with the columns the user chose, not only the guessed ones.
    content = "headline,when\nfine,2026-01-01\nalso fine,soon\n"
    assert preview(auth, content).json["problems"] == []  # no text column yet: nothing to check
    chosen = preview(auth, content, text_column="headline", time_column="when").json
    assert chosen["problems"] == [{"line": 3, "reason": "unreadable timestamp 'soon'"}]


SPREADSHEETS = [("reviews.xlsx", "xlsx"), ("Old Budget.XLS", "xls"), ("reviews.ods", "ods")]


@pytest.mark.parametrize(("filename", "suffix"), SPREADSHEETS)
def test_spreadsheets_are_told_to_save_as_csv(app, auth, api, filename, suffix):
    auth.login()
    advice = f"A .{suffix} file is a spreadsheet: save it as CSV"
    content = "PK\x03\x04 spreadsheet bytes"
    response = upload(auth, content, filename)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "file")[0].startswith(advice)
    refused_preview = preview(auth, content, filename)
    assert refused_preview.status_code == 400
    assert refused_preview.json["error"].startswith(advice)
    refused_api = api.client.post(
        "/api/v1/datasets",
        data={"name": "Sheet", "file": (io.BytesIO(content.encode()), filename)},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert refused_api.status_code == 400
    assert refused_api.json["error"]["message"].startswith(advice)
    assert counts(app) == (0, 0, 0)


def test_keywords_are_whole_words_any_case_or_hashtags(app, auth):
    auth.login()
    content = "text\nThe TRAM is late\nI love #tram\nthe tramway is closed\napp-less tram day\n"
    upload(auth, content, keywords="Tram, #App")
    with app.app_context():
        tagged = db.session.execute(
            select(TextKeyword.keyword, TextRow.line)
            .join(TextRow, TextRow.id == TextKeyword.text_id)
            .order_by(TextRow.line, TextKeyword.keyword)
        ).all()
    assert tagged == [("tram", 2), ("tram", 3), ("app", 5), ("tram", 5)]


def test_keywords_can_be_edited_after_upload(app, client, auth, dataset_id):
    response = auth.post(
        f"/datasets/{dataset_id}/keywords",
        {"keywords": "night, weekend"},
        token_from=f"/datasets/{dataset_id}",
    )
    assert response.status_code == 302
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert {item["keyword"]: item["total"] for item in summary["keywords"]} == {
        "night": 1,
        "weekend": 1,
    }
    assert client.get(f"/datasets/{dataset_id}/summary.json?keyword=night").json["analysed"] == 1


def test_rerun_replaces_the_results(app, client, auth, dataset_id):
    response = auth.post(
        f"/datasets/{dataset_id}/analyze", {"model": ""}, token_from=f"/datasets/{dataset_id}"
    )
    assert response.status_code == 302
    with app.app_context():
        jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
        assert [job.status for job in jobs] == ["done", "done"]
        assert db.session.get(Dataset, dataset_id).current_job_id == jobs[1].id
        assert db.session.scalar(select(func.count()).select_from(Result)) == 6


def test_delete_dataset_removes_everything(app, client, auth, dataset_id):
    response = auth.post(f"/datasets/{dataset_id}/delete", {"confirm_name": "Reviews"})
    assert response.location == "/dashboard"
    assert counts(app) == (0, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
        assert db.session.scalar(select(func.count()).select_from(TextKeyword)) == 0
    assert client.get(f"/datasets/{dataset_id}").status_code == 404


def test_deleting_the_account_removes_its_datasets(app, client, auth, dataset_id):
    from tests.conftest import PASSWORD

    auth.post("/account/delete", {"password": PASSWORD}, token_from="/account")
    assert counts(app) == (0, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_job_status_json_and_cancel(app, client, auth, dataset_id):
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    status = client.get(f"/jobs/{job_id}.json").json
    assert (status["status"], status["done"], status["total"]) == ("done", 6, 6)
    response = auth.post(f"/jobs/{job_id}/cancel", {}, token_from=f"/datasets/{dataset_id}")
    assert response.location == f"/datasets/{dataset_id}"
    assert client.get(f"/jobs/{job_id}.json").json["status"] == "done"  # too late to cancel


def test_empty_dashboard_offers_the_sample_and_it_loads(app, client, auth):
    auth.login()
    home = client.get("/dashboard").get_data(as_text=True)
    assert "Load the sample dataset" in home
    response = auth.post("/datasets/sample", {}, token_from="/dashboard")
    assert response.status_code == 302
    summary = client.get(f"{response.location}/summary.json").json
    assert summary["analysed"] >= 300
    assert len(summary["timeline"]["points"]) > 10
    assert summary["map"]["geotagged"] > 50
    assert {item["keyword"] for item in summary["keywords"]} >= {"tram", "app", "delays"}
    assert sum(1 for item in summary["distribution"] if item["count"]) >= 5


def test_quick_analysis(client, auth):
    auth.login()
    page = auth.post("/analyze", {"text": "I am terrified of the dark 😱"}).get_data(as_text=True)
    assert "Emotion:" in page
    assert "<mark" in page
    assert auth.post("/analyze", {"text": ""}).status_code == 400
    assert auth.post("/analyze", {"text": "x" * 20_001}).status_code == 400


OTHER_USERS_URLS = [
    ("get", "/datasets/{id}"),
    ("get", "/datasets/{id}/summary.json"),
    ("get", "/datasets/{id}/texts"),
    ("get", "/datasets/{id}/texts/1"),
    ("get", "/datasets/{id}/texts/1.json"),
    ("get", "/datasets/{id}/export.csv"),
    ("get", "/datasets/{id}/export.jsonl"),
    ("get", "/datasets/{id}/delete"),
    ("post", "/datasets/{id}/delete"),
    ("post", "/datasets/{id}/keywords"),
    ("post", "/datasets/{id}/analyze"),
    ("get", "/jobs/{job}.json"),
    ("post", "/jobs/{job}/cancel"),
]


def test_huge_ids_are_404_not_500(client, dataset_id):
    for url in (
        "/datasets/99999999999999999999",
        "/jobs/99999999999999999999.json",
        "/models/99999999999999999999",
        f"/datasets/{dataset_id}/texts/2{'0' * 25}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/datasets/{dataset_id}/summary.json?end=9999-12-31").status_code == 400


def test_another_users_dataset_is_404_everywhere(app, client, dataset_id):
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    intruder = AuthActions(app.test_client())
    intruder.register("mallory", "violet harbour 1987")
    for method, template in OTHER_USERS_URLS:
        url = template.format(id=dataset_id, job=job_id)
        if method == "get":
            response = intruder.client.get(url)
        else:
            form = {"keywords": "x", "model": "", "confirm_name": "Reviews"}
            response = intruder.post(url, form, token_from="/dashboard")
        assert response.status_code == 404, url
        assert "Reviews" not in response.get_data(as_text=True)
    assert "Reviews" not in intruder.client.get("/dashboard").get_data(as_text=True)
    assert counts(app) == (1, 6, 6)


def test_analysis_chunks_walk_the_primary_key_without_sorting(app):
    """Each chunk of an analysis reads the next texts in id order from an index: a sort of the
    dataset's texts per chunk made a large analysis quadratic on SQLite."""
    with app.app_context():
        statement = chunks.chunk_statement(1, 100, 1000, until=5000)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "sqlite":
            plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        else:
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = db.session.execute(text(f"EXPLAIN {compiled}")).all()
    steps = " ".join(str(row[-1]) for row in plan)
    assert "B-TREE" not in steps and "Sort" not in steps, steps


def test_counting_a_few_texts_finds_their_keywords_through_the_texts(app):
    """The live feed adding texts to the counts and a correction moving one read those texts'
    keyword tags through the tags' text index: walking every tag of the dataset (SQLite, which
    has no statistics, chose that) made a correction take 0.7 s at a million texts."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL plans from its statistics; SQLite's plan is the one at stake")
    with app.app_context():
        statements = job_counts.groups(1, 1, text_ids=[5, 6]) + job_counts.points(1, 1, [5, 6])
        steps = []
        for statement in statements:
            compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            steps += [str(row[-1]) for row in plan]
    tag_steps = [step for step in steps if "text_keywords" in step]
    assert len(tag_steps) == 4, steps
    assert all("(text_id=?)" in step for step in tag_steps), tag_steps
