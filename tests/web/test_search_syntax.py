"""A text search read as a search engine reads it: every word somewhere in the text, a "quoted
phrase" as written, `refund OR return` either, `-word` not at all; in every view, with what it
found in bold, and written back as it was read."""

import csv
import io

import pytest

from emolytics.pipeline import search
from emolytics.pipeline.search_syntax import Search, parse, quoted
from tests.web.api_calls import call
from tests.web.api_calls import upload as api_upload
from tests.web.uploads import upload

TICKETS = (
    "text,created_at\n"
    '"The delivery was late again, I want a refund",2026-03-01T08:00:00Z\n'
    '"Late delivery and a gift card that did not work",2026-03-01T09:00:00Z\n'
    '"I will return it, the gift card too",2026-03-02T10:00:00Z\n'
    '"Lovely staff, quick delivery",2026-03-03T11:00:00Z\n'
    '"Über-fast delivery, über happy",2026-03-04T12:00:00Z\n'
    '"Nothing to say -_- really",2026-03-05T12:00:00Z\n'
)


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("late", Search((("late",),), ())),
        ("late delivery", Search((("late",), ("delivery",)), ())),
        ('"late delivery"', Search((("late delivery",),), ())),
        (
            'refund OR return late -"gift card"',
            Search((("refund", "return"), ("late",)), ("gift card",)),
        ),
        ("a OR b OR c d", Search((("a", "b", "c"), ("d",)), ())),
        ("late AND refund", Search((("late",), ("refund",)), ())),
        ("Late late", Search((("Late",),), ())),
        ("-refund", Search((), ("refund",))),
        ("-_-", Search((("-_-",),), ())),
        ('"OR" -"AND"', Search((("OR",),), ("AND",))),
        ('"unclosed phrase', Search((("unclosed phrase",),), ())),
        ("a -x OR b", Search((("a",), ("b",)), ("x",))),
        ("OR a OR", Search((("a",),), ())),
        ("a - b", Search((("a",), ("b",)), ())),
    ],
)
def test_a_search_is_read_as_a_search_engine_reads_it(query, read):
    assert parse(query) == read
    assert parse(read.written) == read  # written back, it reads the same


@pytest.mark.parametrize("query", ["", "   ", '""', "OR", "AND OR", "-", '- ""'])
def test_a_search_that_asks_for_nothing_is_no_search(query):
    assert parse(query) is None


def test_a_word_is_quoted_where_a_search_would_read_it_otherwise():
    assert [quoted(word) for word in ["tram", ":)", "-_-", "OR", "-5", "gift card"]] == [
        "tram",
        ":)",
        "-_-",
        '"OR"',
        '"-5"',
        '"gift card"',
    ]
    assert parse(quoted("-5")) == Search((("-5",),), ())


def tickets(auth) -> int:
    auth.login()
    response = upload(auth, TICKETS, "tickets.csv")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def exported(client, dataset_id: int, query: str) -> list[str]:
    answer = client.get(f"/datasets/{dataset_id}/export.csv", query_string={"q": query})
    return [row["text"] for row in csv.DictReader(io.StringIO(answer.text))]


@pytest.mark.parametrize("lookup", ["ids", "condition"])
def test_every_view_keeps_the_texts_the_search_finds(app, client, auth, monkeypatch, lookup):
    if lookup == "ids":  # the matches' ids are read once, as for a rare word in a big dataset
        monkeypatch.setattr(search, "LOOKUP_COST", {"sqlite": 1, "postgresql": 1})
    dataset_id = tickets(auth)
    found = {
        "late delivery": 2,  # both words, anywhere: the phrase is in one text only
        '"late delivery"': 1,
        "refund OR return": 2,
        "delivery -late": 2,
        'delivery -"gift card" -über -refund': 1,
        "über": 1,  # any case, beyond ASCII too
        "-_-": 1,
        "-delivery": 2,
    }
    for query, count in found.items():
        summary = client.get(f"/datasets/{dataset_id}/summary.json", query_string={"q": query})
        assert summary.json["analysed"] == count, query
        assert len(exported(client, dataset_id, query)) == count, query
        texts = client.get(f"/datasets/{dataset_id}/texts", query_string={"q": query})
        assert f"{count} text{'s' if count != 1 else ''} match" in texts.text, query
    assert exported(client, dataset_id, "delivery -late") == [
        "Lovely staff, quick delivery",
        "Über-fast delivery, über happy",
    ]


def test_the_page_shows_the_search_as_it_was_read_and_what_it_found(client, auth):
    dataset_id = tickets(auth)
    texts = client.get(
        f"/datasets/{dataset_id}/texts", query_string={"q": 'refund OR  OR return -"gift card" -'}
    ).text
    assert 'name="q" value="refund OR return -&#34;gift card&#34;"' in texts
    assert '<b class="found">refund</b>' in texts and "gift card" not in texts.split("<tbody")[1]
    assert "1 text match" in texts
    both = client.get(f"/datasets/{dataset_id}/texts", query_string={"q": "late delivery"}).text
    assert '<b class="found">Late</b> <mark class="emo-neutral"><b class="found">delivery' in both
    assert 'was <b class="found">late</b> again' in both
    assert both.count('<b class="found">') == 4  # each word, wherever it is


def test_the_api_reads_the_search_alike(api):
    uploaded = api_upload(api, TICKETS.encode())
    assert uploaded.status_code == 201, uploaded.json
    dataset_id = uploaded.json["id"]
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?q=gift+card+-late")
    assert answer.status_code == 200
    assert [text["text"] for text in answer.json["texts"]] == [
        "I will return it, the gift card too"
    ]
    summary = call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary?q=refund+OR+return")
    assert summary.json["analysed"] == 2 and summary.json["filters"] == {"q": "refund OR return"}
