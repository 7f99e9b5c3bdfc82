"""The top terms of a view: a filtered view's are its own texts' (a sample of them explained when
asked), on the dashboard, in the API and in the report workbook; the label filter alone keeps
the analysis's."""

from collections import Counter
from io import BytesIO

import pytest
from openpyxl import load_workbook

from emolytics.pipeline import rising_terms, view_terms
from emolytics.pipeline.keywords import keyword_pattern
from tests.web.api_calls import upload

# Two weeks of joy and anger, about other things each week.
WEEK_ONE = (
    "The new menu was wonderful and I love it",
    "The bakery made me furious and I hate it",
)
WEEK_TWO = (
    "The concert was brilliant and I adore it",
    "The refund delay is outrageous and I am livid",
)


def _week(first_day: int, texts: tuple[str, ...]) -> str:
    return "".join(
        f"{text},2026-03-{first_day + index // 2:02d}T10:00:00Z\n"
        for index, text in enumerate(4 * texts)
    )


TWO_WEEKS = ("text,posted_at\n" + _week(1, WEEK_ONE) + _week(8, WEEK_TWO)).encode()
SECOND_WEEK = "start=2026-03-08&end=2026-03-14"


@pytest.fixture
def dataset(api):
    response = upload(api, TWO_WEEKS, keywords="")
    assert response.status_code == 201, response.json
    return response.json


def _terms(api, dataset, query="") -> dict:
    response = api.get(f"/api/v1/datasets/{dataset['id']}/terms?{query}")
    assert response.status_code == 200, response.json
    return response.json


def _words(answer: dict) -> dict[str, set[str]]:
    return {label: {item["term"] for item in items} for label, items in answer["terms"].items()}


def test_a_weeks_top_terms_are_of_that_weeks_texts(api, dataset):
    whole = _terms(api, dataset)
    assert whole["sample"] is None and whole["sampled_from"] is None
    assert {"furious", "hate"} <= _words(whole)["anger"]
    week = _terms(api, dataset, SECOND_WEEK)
    assert (week["sample"], week["sampled_from"]) == (8, 8)  # every text of the week, explained
    words = _words(week)
    assert {"outrageous", "livid"} <= words["anger"] and {"brilliant", "adore"} <= words["joy"]
    shown = set().union(*words.values())
    assert not shown & {"furious", "hate", "wonderful", "love", "bakery", "menu"}
    for item in week["terms"]["anger"]:
        assert item["lift"] == 2.0 and item["texts"] == 4  # in each of the week's 4 angry texts


def test_the_summary_keeps_the_analysiss_terms_and_the_label_alone_narrows_them(api, dataset):
    summary = api.get(f"/api/v1/datasets/{dataset['id']}/summary?{SECOND_WEEK}").json
    assert {"furious", "outrageous"} <= {item["term"] for item in summary["terms"]["anger"]}
    anger = _terms(api, dataset, "label=anger")
    assert anger["sample"] is None and list(anger["terms"]) == ["anger"]
    assert anger["terms"]["anger"] == summary["terms"]["anger"]
    week_anger = _terms(api, dataset, f"label=anger&{SECOND_WEEK}")
    assert list(week_anger["terms"]) == ["anger"] and week_anger["sampled_from"] == 8
    assert week_anger["terms"]["anger"] == _terms(api, dataset, SECOND_WEEK)["terms"]["anger"]


def test_a_large_view_is_sampled_and_its_counts_scaled_up(api, dataset, monkeypatch):
    monkeypatch.setattr(view_terms, "VIEW_SAMPLE", 8)
    whole_span = _terms(api, dataset, "start=2026-03-01&end=2026-03-14")
    assert whole_span["sampled_from"] == 16 and 1 <= whole_span["sample"] <= 8
    counts = [item["texts"] for items in whole_span["terms"].values() for item in items]
    assert counts and all(count % 2 == 0 for count in counts)  # one text in 2 explained


def test_an_empty_view_has_no_terms(api, dataset):
    answer = _terms(api, dataset, "start=2027-01-01")
    assert answer == {"terms": {}, "sample": 0, "sampled_from": 0, "rising": None}


def test_bad_filters_are_refused_and_other_teams_datasets_are_not_found(api, dataset, auth):
    assert api.get(f"/api/v1/datasets/{dataset['id']}/terms?start=soon").status_code == 400
    assert api.get(f"/api/v1/datasets/{dataset['id']}/terms?label=glee").status_code == 400
    auth.login()
    page_url = f"/datasets/{dataset['id']}/terms.json"
    assert auth.client.get(f"{page_url}?start=soon").status_code == 400
    auth.logout()
    auth.register("mallory")
    assert auth.client.get(f"{page_url}?{SECOND_WEEK}").status_code == 404
    assert auth.client.get(f"/datasets/{dataset['id']}?{SECOND_WEEK}").status_code == 404


def test_the_dashboard_fetches_a_filtered_views_terms_apart(api, dataset, auth):
    auth.login()
    page_url = f"/datasets/{dataset['id']}"
    plain = auth.client.get(page_url).get_data(as_text=True)
    assert "data-terms-url" not in plain and "Of all the analysed texts." in plain
    assert "data-terms-url" not in auth.client.get(f"{page_url}?label=joy").get_data(as_text=True)
    page = auth.client.get(f"{page_url}?{SECOND_WEEK}").get_data(as_text=True)
    url = f"{page_url}/terms.json?start=2026-03-08&amp;end=2026-03-14"
    assert f'data-terms-url="{url}"' in page and "Of this view&#39;s own texts." in page
    answer = auth.client.get(url.replace("&amp;", "&")).json
    assert answer == _terms(api, dataset, SECOND_WEEK)


def test_the_report_workbooks_top_terms_are_the_views(api, dataset):
    response = api.get(f"/api/v1/datasets/{dataset['id']}/report?{SECOND_WEEK}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data), read_only=True)
    terms = {row[1] for row in book["Top terms"].iter_rows(min_row=2, values_only=True)}
    assert {"outrageous", "brilliant"} <= terms and not terms & {"furious", "wonderful"}
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Top terms from"] == "8 of the view's 8 texts"


def _texts(first_day: int, *texts: tuple[int, str]) -> str:
    """`count` of each text in the week from 2026-03-<first_day>, one a few hours apart."""
    lines = [text for count, text in texts for _ in range(count)]
    return "".join(
        f"{text},2026-03-{first_day + index % 7:02d}T{8 + index // 7:02d}:00:00Z\n"
        for index, text in enumerate(lines)
    )


MENU = "The new menu was wonderful and I love it"
# Week one: "late" in 4 texts of 40; week two: in 20 of 40, with "refund" and "livid", new.
RISING = (
    "text,posted_at\n"
    + _texts(1, (16, "The bakery made me furious and I hate it"), (4, "The train was late"))
    + _texts(1, (20, MENU))
    + _texts(8, (20, "The refund was late and I am livid"), (20, MENU))
).encode()


def test_the_words_that_rose_since_the_period_before(api):
    dataset = upload(api, RISING, keywords="").json
    week = _terms(api, dataset, SECOND_WEEK)
    assert week["rising"] == [
        {"term": "livid", "texts": 20, "previous_texts": 0, "ratio": None},
        {"term": "refund", "texts": 20, "previous_texts": 0, "ratio": None},
        {"term": "late", "texts": 20, "previous_texts": 4, "ratio": 5.0},
    ]  # "menu", "wonderful" and "love": as frequent as before
    joy_only = _terms(api, dataset, f"label=joy&{SECOND_WEEK}")
    assert joy_only["rising"] == week["rising"]  # of every label, as the comparison is
    assert _terms(api, dataset, "start=2026-03-01&end=2026-03-07")["rising"] is None  # none before
    assert _terms(api, dataset, "q=late")["rising"] is None  # no dates: no period before


def test_a_word_that_rose_by_chance_is_not_listed(api):
    few = (
        "text,posted_at\n" + _texts(1, (8, MENU)) + _texts(8, (5, MENU), (3, "Such a late train"))
    ).encode()
    dataset = upload(api, few, keywords="").json
    # "late" and "train": new in 3 texts of 8, which chance gives more than 5 % of the time
    # (all 3 of the texts with them in this week: half a chance each)
    assert _terms(api, dataset, SECOND_WEEK)["rising"] == []


def test_the_report_workbook_lists_the_words_that_rose(api):
    dataset = upload(api, RISING, keywords="").json
    response = api.get(f"/api/v1/datasets/{dataset['id']}/report?{SECOND_WEEK}")
    book = load_workbook(BytesIO(response.data), read_only=True)
    rows = list(book["Words that rose"].iter_rows(values_only=True))
    assert rows == [
        ("word", "texts", "texts before", "times the share before"),
        ("livid", 20, 0, "new"),
        ("refund", 20, 0, "new"),
        ("late", 20, 4, 5),
    ]
    plain = api.get(f"/api/v1/datasets/{dataset['id']}/report")
    assert "Words that rose" not in load_workbook(BytesIO(plain.data)).sheetnames


def test_a_word_is_a_telling_token_an_emoji_as_written():
    found = rising_terms.words_in(
        ["Great game 😡😡 #MondayBlues @bob http://x.co :( 3rd time", "I don't like the tram"],
        keyword_pattern(["tram"]),
    )
    assert {"great", "game", "😡", "monday", "blues", ":(", "like"} <= set(found)
    assert found["😡"] == 1  # once a text, however often it says it
    assert not set(found) & {"rd", "3rd", "bob", "<user>", "<url>", "don't", "i", "the", "tram"}


def test_the_words_that_fell_count_in_the_correction_too():
    """One word in 6 texts of 100 and none before could be chance among ten words that moved,
    nine of them down: picking the risen ones before correcting would have called it a rise."""
    fell = {f"word{letter}": 6 for letter in "abcdefghi"}
    now, before = Counter({"outage": 6}), Counter(fell)
    assert rising_terms.rising(now, 100, 1, before, 100, 1) == []
    alone = rising_terms.rising(now, 100, 1, Counter(), 100, 1)
    assert alone == [{"term": "outage", "texts": 6, "previous_texts": 0, "ratio": None}]
