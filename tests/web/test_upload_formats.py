"""Upload formats beyond the plain cases: a JSON array (what most tools export as `.json`, or
inside an API's answer) uploads like JSON Lines, each item a row known by its place in the
array (those of a compact array share line 1), previewed, through the form and the API, and a
broken array stores nothing and names its line;
a CSV header that names a column twice keeps both columns apart."""

import json
from datetime import UTC, datetime
from io import BytesIO

import pytest
from sqlalchemy import select

from emolytics.engine.csv_layout import header_names
from emolytics.extensions import db
from emolytics.tables import DatasetFile
from tests.web.api_calls import call, error_code
from tests.web.bulk_rows import stored_texts
from tests.web.uploads import counts, preview, upload

EXPORT = [
    {"text": "The tram is late", "created_at": "2026-03-01T08:00:00Z", "author": "ana"},
    {"text": "Lovely app", "lat": 48.2082, "lon": 16.3738, "likes": 3},
    "Just the text",
    {"text": 'a "quoted" word, a comma and a ] bracket', "tags": ["tram", "app"]},
]


def test_a_pretty_printed_array_is_stored_item_by_item(app, auth):
    auth.login()
    content = json.dumps(EXPORT, indent=2)  # items start on lines 2, 7, 13 and 14

    found = preview(auth, content, "export.json").json
    assert found["format"] == "json"
    assert found["lines"] == [1, 2, 3, 4] and found["numbered"] == "record"  # by their place
    assert found["guesses"]["text"] == "text" and found["guesses"]["author"] == "author"

    assert upload(auth, content, "export.json").status_code == 302
    rows = stored_texts(app)
    assert [(row.line, row.text) for row in rows] == [
        (1, "The tram is late"),
        (2, "Lovely app"),
        (3, "Just the text"),
        (4, 'a "quoted" word, a comma and a ] bracket'),
    ]
    with app.app_context():
        assert db.session.scalars(select(DatasetFile.numbered)).all() == ["record"]
    assert rows[0].posted_at == datetime(2026, 3, 1, 8, tzinfo=UTC) and rows[0].author == "ana"
    assert (rows[1].lat, rows[1].lon) == (48.2082, 16.3738)


def test_the_api_reads_a_compact_array_even_without_a_file_name_suffix(app, api):
    content = json.dumps(EXPORT).encode()
    form = {"name": "Export", "file": (BytesIO(content), "export")}
    stored = call(api, "POST", "/api/v1/datasets", data=form)
    assert stored.status_code == 201, stored.json
    assert stored.json["row_count"] == 4
    assert [row.line for row in stored_texts(app)] == [1, 2, 3, 4]  # not line 1 each
    [found] = call(api, "GET", f"/api/v1/datasets/{stored.json['id']}/files").json["files"]
    assert found["numbered"] == "record"


def test_an_api_answer_holding_the_array_is_read_from_it(app, auth, api):
    auth.login()
    answer = {"count": 4, "next": None, "results": EXPORT, "meta": {"source": "api"}}
    content = json.dumps(answer, indent=2)  # items start on lines 5, 10, 16 and 17
    found = preview(auth, content, "answer.json").json
    assert found["lines"] == [1, 2, 3, 4] and found["numbered"] == "record"
    assert found["guesses"]["text"] == "text"
    assert found["array"] == "results"  # the page says where the rows came from
    assert preview(auth, json.dumps(EXPORT), "export.json").json["array"] is None
    assert upload(auth, content, "answer.json").status_code == 302
    assert [(row.line, row.text) for row in stored_texts(app)][::3] == [
        (1, "The tram is late"),
        (4, 'a "quoted" word, a comma and a ] bracket'),
    ]
    compact = json.dumps({"data": EXPORT, "meta": {"count": 4}}).encode()
    form = {"name": "Answer", "file": (BytesIO(compact), "answer")}
    stored = call(api, "POST", "/api/v1/datasets", data=form)
    assert stored.status_code == 201, stored.json
    assert stored.json["row_count"] == 4


@pytest.mark.parametrize("name", ["thread.jsonl", "thread.ndjson"])
def test_a_json_lines_file_of_one_record_holding_an_array_is_that_record(app, auth, name):
    auth.login()
    record = {"text": "The whole thread, as one post", "replies": [{"text": "a reply"}] * 3}
    content = json.dumps(record) + "\n"
    found = preview(auth, content, name).json
    assert (found["format"], found["lines"]) == ("jsonl", [1])
    assert upload(auth, content, name).status_code == 302
    assert [(row.line, row.text) for row in stored_texts(app)] == [
        (1, "The whole thread, as one post")
    ]


def test_nested_objects_become_columns_of_dotted_names(app, auth):
    auth.login()
    tweets = [
        {
            "full_text": text,
            "created_at": "2026-03-0" + str(day) + "T08:00:00Z",
            "user": {"id": day, "name": "Ana Lima", "screen_name": f"ana{day}"},
            "entities": {"hashtags": ["tram"]},
            "place": {"geo": {"lat": 48.2, "lon": 16.4}},
        }
        for day, text in ((1, "Love the new tram"), (2, "The tram is late again"))
    ]
    content = json.dumps({"statuses": tweets, "search_metadata": {"count": 2}}, indent=2)
    found = preview(auth, content, "search.json").json
    assert found["array"] == "statuses"
    assert found["columns"][:5] == [
        "full_text",
        "created_at",
        "user.id",
        "user.name",
        "user.screen_name",
    ]
    assert found["guesses"] == {
        "text": "full_text",
        "posted_at": "created_at",
        "author": "user.screen_name",
        "lat": "place.geo.lat",
        "lon": "place.geo.lon",
        "segment": None,
        "place": None,
        "country": None,
    }
    assert found["rows"][0]["entities.hashtags"] == '["tram"]'  # JSON, not Python's repr
    assert upload(auth, content, "search.json").status_code == 302
    rows = stored_texts(app)
    assert [(row.text, row.author, row.lat) for row in rows] == [
        ("Love the new tram", "ana1", 48.2),
        ("The tram is late again", "ana2", 48.2),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n{"text": "fine"},\n{"text": "cut', "line 3: not valid JSON (Unterminated string)"),
        ('[\n{"text": "fine"}\n{"text": "no comma"}\n]', "line 3: expected , or ] after record 1."),
        ('[{"text": "fine"}]\n{"text": "more"}\n', "line 2: more after the end of the array."),
    ],
    ids=["cut", "comma", "after"],
)
def test_a_broken_array_stores_nothing_and_names_the_line(app, auth, api, content, message):
    auth.login()
    refused = upload(auth, content, "export.json")
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    form = {"name": "Export", "skip_bad_rows": "true"}
    form["file"] = (BytesIO(content.encode()), "export.json")
    answer = call(api, "POST", "/api/v1/datasets", data=form)  # a broken file is no bad row
    assert answer.status_code == 400 and error_code(answer) == "unreadable_file"
    assert message in answer.json["error"]["message"]
    assert counts(app) == (0, 0, 0)


def test_items_that_are_not_texts_are_bad_rows_with_their_place(app, auth, api):
    content = (
        b'[\n{"text": "fine"},\n42,\n{"body": "no text"},\n{"text": true},\n{"text": ["a"]},\n'
        b'{"text": null},\n{"text": "also fine"},\n{"text": 7.0}\n]'
    )
    form = {"name": "Export", "file": (BytesIO(content), "export.json")}
    refused = call(api, "POST", "/api/v1/datasets", data=form)
    assert refused.status_code == 400 and error_code(refused) == "unreadable_rows"
    assert refused.json["error"]["message"].startswith(
        "5 rows cannot be read: record 2: not a JSON object; record 3: no text; "
        "record 4: the text is not a string; record 5: the text is not a string; record 6: no "
        "text."
    )
    form = {**form, "file": (BytesIO(content), "export.json"), "skip_bad_rows": "true"}
    stored = call(api, "POST", "/api/v1/datasets", data=form)
    assert stored.status_code == 201
    assert [(row["line"], row["numbered"]) for row in stored.json["skipped_rows"]] == [
        (2, "record"), (3, "record"), (4, "record"), (5, "record"), (6, "record")
    ]  # fmt: skip
    assert [row.text for row in stored_texts(app)] == ["fine", "also fine", "7"]  # as a CSV
    auth.login()
    page = auth.client.get(f"/datasets/{stored.json['id']}").get_data(as_text=True)
    assert "<li>record 2: not a JSON object</li>" in page


def test_a_column_named_twice_keeps_both_apart(app, auth):
    auth.login()
    content = "id,text,note,text\n1,first text,a note,second text\n"
    found = preview(auth, content).json
    assert found["columns"] == ["id", "text", "note", "text (2)"]
    assert found["rows"] == [
        {"id": "1", "text": "first text", "note": "a note", "text (2)": "second text"}
    ]
    assert upload(auth, content).status_code == 302
    assert upload(auth, content, text_column="text (2)").status_code == 302
    assert [row.text for row in stored_texts(app)] == ["first text", "second text"]


def test_an_excel_separator_line_names_the_delimiter(app, auth):
    auth.login()
    content = "sep=;\r\ntext;author\r\nI love it, really;ann\r\n\r\nso late;ben\r\n"
    found = preview(auth, content).json
    assert (found["columns"], found["lines"]) == (["text", "author"], [3, 5])
    assert upload(auth, content).status_code == 302
    rows = stored_texts(app)
    assert [(row.line, row.text, row.author) for row in rows] == [
        (3, "I love it, really", "ann"),
        (5, "so late", "ben"),
    ]


def test_coordinates_with_a_decimal_comma_are_read(app, auth):
    auth.login()  # as Excel saves a CSV file in much of Europe: semicolons, decimal commas
    content = "text;lat;lon\nLove the new tram;48,2082;16,3738\nSo late;-33,87;151\n"
    assert upload(auth, content).status_code == 302
    assert [(row.lat, row.lon) for row in stored_texts(app)] == [
        (48.2082, 16.3738),
        (-33.87, 151.0),
    ]


@pytest.mark.parametrize(
    "start",
    [
        "\n\n",  # blank lines
        "Tram survey: every answer\n\n",  # a report's title
        "Tram survey, March;;\n;;\n",  # a title row and a blank one, as a sheet saves them
    ],
    ids=["blank", "title", "sheet"],
)
def test_lines_before_the_header_are_left_out(app, auth, start):
    auth.login()
    content = f"{start}id;text;author\n1;I love it, really;ann\n2;so late;ben\n"
    found = preview(auth, content).json
    assert (found["columns"], found["lines"]) == (["id", "text", "author"], [4, 5])
    assert found["guesses"]["text"] == "text" and found["problems"] == []
    assert upload(auth, content).status_code == 302
    rows = stored_texts(app)
    assert [(row.line, row.text, row.author) for row in rows] == [
        (4, "I love it, really", "ann"),
        (5, "so late", "ben"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        'text\nhello there\n"I love it, really"\n"so late, again"\n',
        "text\nhello there\nI love it, really\nso late, again\n",  # unquoted: still one column
    ],
    ids=["quoted", "unquoted"],
)
def test_a_file_of_one_column_keeps_its_first_line_as_its_header(app, auth, content):
    auth.login()
    assert preview(auth, content).json["columns"] == ["text"]
    assert upload(auth, content).status_code == 302
    assert [row.text for row in stored_texts(app)] == [
        "hello there",
        "I love it, really",
        "so late, again",
    ]


def test_a_bare_title_right_above_the_header_is_not_guessed_away(auth):
    auth.login()  # it could be the header of one column: the upload asks for the text column
    found = preview(auth, "Tram survey\nid;text\n1;hello\n").json
    assert found["columns"] == ["Tram survey"]


@pytest.mark.parametrize(
    ("header", "text", "posted_at"),
    [
        ("tweet_id,full_text,created_at", "full_text", "created_at"),
        ("Clothing ID,Review Text,Rating,Review Date", "Review Text", "Review Date"),
        ("id,body,text", "text", None),  # a whole name first
        ("post_id,score", None, None),
        ("ReviewId,ReviewText,CreatedAt", "ReviewText", "CreatedAt"),  # words in camel case
        ("StartDate,ResponseId,Q2_TEXT", "Q2_TEXT", "StartDate"),  # a Qualtrics export's
        # a survey's answer is dated when it was sent, not begun
        ("StartDate,EndDate,RecordedDate,Q2_TEXT", "Q2_TEXT", "EndDate"),
        ("Start Date,End Date,What could we do better?", None, "End Date"),
    ],
)
def test_text_and_time_columns_are_guessed_by_their_last_word(auth, header, text, posted_at):
    auth.login()
    guesses = preview(auth, header + "\n" + ",".join("x" * header.count(",")) + "\n").json
    assert (guesses["guesses"]["text"], guesses["guesses"]["posted_at"]) == (text, posted_at)


def test_repeated_names_are_numbered_without_taking_a_name_in_use():
    names = ["a", "b", "a", " a ", "a (2)", "", "", "a"]
    assert header_names(names) == ["a", "b", "a (2)", "a (3)", "a (2) (2)", "", "", "a (4)"]
    assert header_names(["x"] * 5_000)[-1] == "x (5000)"  # a set: no quadratic search


def test_a_time_column_no_name_gives_away_is_found_by_its_dates(app, auth):
    auth.login()
    content = (
        "id,body,score,created,note\n"
        "1234567890,tram late again,20261022,2026-10-22T15:50:00+00:00,2026-01-01\n"
        "1234567891,lovely app,3,,x\n"
        "1234567892,so slow,7,2026-10-23 08:00,\n"
    )
    # ids look like Unix seconds and a score like a compact date: plain numbers are no dates;
    # "note" holds a date and a word
    assert preview(auth, content).json["guesses"]["posted_at"] == "created"
    assert upload(auth, content).status_code == 302
    stored = [row.posted_at for row in stored_texts(app)]
    assert stored == [
        datetime(2026, 10, 22, 15, 50, tzinfo=UTC),
        None,
        datetime(2026, 10, 23, 8, tzinfo=UTC),
    ]

    no_dates = "body,score\nfine,1\n"
    assert preview(auth, no_dates).json["guesses"]["posted_at"] is None


def test_a_text_column_no_name_gives_away_is_found_by_its_words(auth):
    auth.login()
    content = (
        "id,Name,How was your stay?,Comment date\n"
        "1,Ana Lopez,The room was lovely and the staff were kind,2026-10-22\n"
        "2,Ben,Too loud at night,2026-10-23\n"
    )  # a survey's question as the header; names and dates have fewer words
    found = preview(auth, content).json["guesses"]
    assert (found["text"], found["posted_at"]) == ("How was your stay?", "Comment date")
    short = "code,city\nA1,Vienna\nB2,New York\n"
    assert preview(auth, short).json["guesses"]["text"] is None


def test_excels_unicode_text_is_read_as_the_table_it_is(app, auth):
    auth.login()
    sheet = "Comment\tSubmitted\nlove the new app, really\t22.10.2026\nso slow again today\t\n"
    content = sheet.encode("utf-16")  # Excel's "Unicode Text (*.txt)": UTF-16, tabs
    found = preview(auth, content, "survey.txt").json
    assert (found["format"], found["columns"]) == ("csv", ["Comment", "Submitted"])
    assert found["guesses"]["text"] == "Comment"
    assert upload(auth, content, "survey.txt").status_code == 302
    stored = [(row.line, row.text, row.posted_at) for row in stored_texts(app)]
    assert stored == [
        (2, "love the new app, really", datetime(2026, 10, 22, tzinfo=UTC)),
        (3, "so slow again today", None),
    ]
    plain = "a post\twith a tab\nanother post\nand a third\n"  # tabs on one line only
    assert preview(auth, plain, "posts.txt").json["format"] == "txt"
