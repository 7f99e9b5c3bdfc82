"""Files imported across many write batches: every row stored once, in order, all or nothing."""

import io
import json
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.exceptions import ClientDisconnected

from emolytics.extensions import db
from emolytics.pipeline import bulk, datasets, ingest
from emolytics.tables import Dataset, TextKeyword, TextRow
from tests.conftest import csrf_token, team_of
from tests.web.bulk_rows import BATCH, stored_tags, stored_texts

pytestmark = pytest.mark.usefixtures("small_batches")  # write batches of BATCH rows


# Characters that COPY's text format must escape, and some that need no escaping.
AWKWARD_TEXTS = (
    "tab\there and a backslash \\ there",
    "a literal \\N is not a NULL",
    "line one\nline two\r\nline three",
    "quotes \"double\" and 'single', commas, ; semicolons",
    "emoji 😡🚋 and accents: café, Straße, ÅÄÖ",
    "\\.",
)


@pytest.fixture
def postgres_only(postgres_url: str | None) -> None:
    if not postgres_url:
        pytest.skip("PostgreSQL copies the tags after the texts; SQLite writes them per batch")


@pytest.fixture
def auth(auth):
    auth.login()
    return auth


def upload(auth, content: str, filename: str = "bulk.jsonl", **fields: str):
    form = {"name": "Bulk", "keywords": "tram, app", **fields}
    form["csrf_token"] = csrf_token(auth.client, "/datasets/new")
    form["file"] = (io.BytesIO(content.encode()), filename)
    return auth.client.post("/datasets/new", data=form, content_type="multipart/form-data")


def jsonl(*items: str) -> str:
    return "".join(item + "\n" for item in items)


def table_counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Dataset, TextRow, TextKeyword)
        )


def test_every_row_is_stored_once_in_file_order_with_its_details(app, auth):
    content = jsonl(
        '{"text": "The tram is late", "created_at": "2026-03-01T08:00:00Z", "author": "ana"}',
        '{"text": "Lovely app", "lat": 48.2082, "lon": 16.3738}',
        "",  # blank lines are skipped but still counted as lines
        '{"text": "Nothing to see", "created_at": 1767225600, "author": " ben "}',
        '{"text": "#tram and the APP, tram again"}',
        '{"text": "Trams are not the tram app"}',
        '{"text": "last one", "created_at": "2026-03-02 10:30:00+02:00"}',
        '{"text": "one more after the batch"}',
    )
    assert upload(auth, content).status_code == 302

    rows = stored_texts(app)
    assert [(row.line, row.text) for row in rows] == [
        (1, "The tram is late"),
        (2, "Lovely app"),
        (4, "Nothing to see"),
        (5, "#tram and the APP, tram again"),
        (6, "Trams are not the tram app"),
        (7, "last one"),
        (8, "one more after the batch"),
    ]
    assert rows[0].posted_at == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert rows[2].posted_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert rows[5].posted_at == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert [row.author for row in rows[:3]] == ["ana", None, "ben"]
    assert (rows[1].lat, rows[1].lon) == (48.2082, 16.3738)
    assert (rows[0].lat, rows[0].lon) == (None, None)
    ids = [row.id for row in rows]
    assert stored_tags(app) == {
        (ids[0], "tram"),
        (ids[1], "app"),
        (ids[3], "tram"),
        (ids[3], "app"),
        (ids[4], "tram"),
        (ids[4], "app"),
    }
    with app.app_context():
        assert db.session.scalar(select(Dataset.row_count)) == 7


def test_texts_that_need_escaping_are_stored_exactly(app, auth):
    content = jsonl(*(json.dumps({"text": text, "author": text}) for text in AWKWARD_TEXTS))
    assert upload(auth, content).status_code == 302
    rows = stored_texts(app)
    assert [row.text for row in rows] == [text.strip() for text in AWKWARD_TEXTS]
    assert [row.author for row in rows] == [text.strip() for text in AWKWARD_TEXTS]


def test_a_bad_row_after_many_good_batches_stores_nothing(app, auth):
    good = [f'{{"text": "tram text {index}"}}' for index in range(4 * BATCH)]
    response = upload(auth, jsonl(*good, '{"text": ""}'))
    assert response.status_code == 400
    assert "1 row cannot be read: line 13: no text" in response.get_data(as_text=True)
    assert table_counts(app) == (0, 0, 0)


def test_a_file_cut_short_after_many_good_batches_stores_nothing(app, auth):
    content = "text\n" + "".join(f"tram text {index}\n" for index in range(4 * BATCH))
    response = upload(auth, content + '"an open quote\n', filename="cut.csv")
    assert response.status_code == 400
    assert "line 14: the CSV cannot be read" in response.get_data(as_text=True)
    assert table_counts(app) == (0, 0, 0)


def test_a_client_gone_midway_stores_nothing(app):
    padding = "x" * 300
    content = jsonl(*(f'{{"text": "tram text {index} {padding}"}}' for index in range(300)))

    class Disconnecting(io.BytesIO):
        """An upload whose sender goes away after the first HEAD_BYTES (a few hundred rows)."""

        def read(self, size: int | None = -1) -> bytes:
            if self.tell() >= ingest.HEAD_BYTES:
                raise ClientDisconnected()
            return super().read(size)

    with app.app_context():
        gone = datasets.Upload(name="Gone", source="upload", keywords=["tram"])
        with pytest.raises(ClientDisconnected):
            datasets.import_file(
                team_of("ada"), gone, Disconnecting(content.encode()), "gone.jsonl"
            )
    assert table_counts(app) == (0, 0, 0)


def test_ids_ascend_in_file_order_across_id_blocks_drawn_beside_other_writers(
    app, auth, monkeypatch, postgres_url
):
    draw = bulk._draw_text_ids
    taken_by_others: list[int] = []

    def draw_after_another_writer(connection, count: int) -> list[int]:
        taken_by_others.extend(draw(connection, 1))
        return draw(connection, count)

    monkeypatch.setattr(bulk, "_draw_text_ids", draw_after_another_writer)
    texts = [f"text {index}" + (" tram" if index % 3 == 0 else "") for index in range(11)]
    assert upload(auth, jsonl(*(json.dumps({"text": text}) for text in texts))).status_code == 302

    rows = stored_texts(app)  # in id order
    assert [row.text for row in rows] == texts
    assert [row.line for row in rows] == list(range(1, 12))
    assert stored_tags(app) == {(row.id, "tram") for row in rows if "tram" in row.text}
    if postgres_url:
        assert len(taken_by_others) == 6  # one per block of 2 ids, none after the last row
        assert not set(taken_by_others) & {row.id for row in rows}
        with app.app_context():  # the connection that drew the later blocks is given back
            assert db.engine.pool.checkedout() == 0


def test_keywords_that_need_escaping_are_tagged_exactly(app, auth):
    content = jsonl(
        json.dumps({"text": "I write C\\D every day"}),
        json.dumps({"text": "a CAFÉ and a tab\tc\\d"}),
        json.dumps({"text": "nothing here"}),
        json.dumps({"text": "café"}),
    )
    assert upload(auth, content, keywords="c\\d, café").status_code == 302
    ids = [row.id for row in stored_texts(app)]
    assert stored_tags(app) == {
        (ids[0], "c\\d"),
        (ids[1], "café"),
        (ids[1], "c\\d"),
        (ids[3], "café"),
    }


def test_a_failure_while_the_tags_are_sent_stores_nothing(
    app, auth, monkeypatch, caplog, postgres_only
):
    chunks = bulk._TagSpool.chunks

    def two_chunks_then_failure(spool):
        sent = chunks(spool)
        yield next(sent)
        yield next(sent)
        raise OSError("the spooled tags cannot be read")

    content = jsonl(*(f'{{"text": "tram text {index}"}}' for index in range(4 * BATCH)))
    with monkeypatch.context() as patched:
        patched.setattr(bulk._TagSpool, "chunks", two_chunks_then_failure)
        assert upload(auth, content).status_code == 500
    assert "the spooled tags cannot be read" in caplog.text
    assert table_counts(app) == (0, 0, 0)

    assert upload(auth, content).status_code == 302  # the next upload is unaffected
    assert table_counts(app) == (1, 4 * BATCH, 4 * BATCH)


def test_a_tag_the_server_refuses_stores_nothing(app, auth, monkeypatch, caplog, postgres_only):
    copy_field = bulk._copy_field
    monkeypatch.setattr(
        bulk, "_copy_field", lambda value: "x" * 81 if value == "app" else copy_field(value)
    )
    content = jsonl(*(f'{{"text": "tram text {index}"}}' for index in range(4 * BATCH)))
    assert upload(auth, content + jsonl('{"text": "the app"}')).status_code == 500
    assert "COPY text_keywords" in caplog.text  # the texts were in, their tags were not
    assert table_counts(app) == (0, 0, 0)


def test_skipped_rows_are_counted_and_listed_across_batches(app, auth):
    items = [
        '{"text": "fine tram"}',
        "not json",
        '{"text": "fine app"}',
        '{"text": "fine"}',
        '{"text": "fine again", "created_at": "someday"}',
        '{"text": "fine at last"}',
        "[1, 2]",
    ]
    assert upload(auth, jsonl(*items), skip_bad_rows="y").status_code == 302
    assert [row.line for row in stored_texts(app)] == [1, 3, 4, 6]
    with app.app_context():
        dataset = db.session.scalar(select(Dataset))
        assert (dataset.row_count, dataset.skipped_count) == (4, 3)
        assert dataset.skipped_rows == [
            [2, "not valid JSON (Expecting value)", "line"],
            [5, "unreadable timestamp 'someday'", "line"],
            [7, "not a JSON object", "line"],
        ]


def test_a_second_upload_gets_new_ids_after_the_first(app, auth):
    first = jsonl(*(f'{{"text": "first {index} tram"}}' for index in range(5)))
    second = jsonl(*(f'{{"text": "second {index} tram"}}' for index in range(5)))
    assert upload(auth, first).status_code == 302
    assert upload(auth, second, name="Second").status_code == 302
    rows = stored_texts(app)
    assert [row.text for row in rows] == [f"first {index} tram" for index in range(5)] + [
        f"second {index} tram" for index in range(5)
    ]
    assert len(stored_tags(app)) == 10
