"""A tracked keyword is a topic: `deliver*` finds every word it starts, and `refund OR money
back` tracks either as one keyword, in its counts, filters, alerts and top terms alike."""

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.pipeline.keywords import (
    keyword_pattern,
    keywords_in,
    parse_keywords,
    with_plurals,
)
from emolytics.pipeline.terms import topical
from emolytics.tables import TextKeyword, TextRow
from tests.web.api_calls import call
from tests.web.api_calls import upload as api_upload
from tests.web.uploads import upload

REVIEWS = (
    "text\n"
    "I want my money back, now\n"
    "Still waiting for the REFUND\n"
    "A late delivery again\n"
    "Delivered to the wrong door #refund\n"
    "A delightful deliverer\n"
    "Nothing to report\n"
)
TOPICS = "Refund OR money  back, deliver*"


def test_keywords_are_cleaned_into_topics():
    assert parse_keywords("Refund OR money  back OR #REFUND, deliver**, this or that") == [
        "refund OR money back",
        "deliver*",
        "this or that",  # a lower-case "or" is a word of the phrase
    ]
    assert parse_keywords("OR refund OR") == ["refund"]


@pytest.mark.parametrize("typed", ["de*liver", "d*", "*", "refund OR *", "late* delivery"])
def test_a_wildcard_anywhere_but_after_a_words_letters_is_refused(typed):
    with pytest.raises(ValueError, match=r"a \* may only end a word"):
        parse_keywords(typed)


def test_a_text_is_tagged_with_the_topic_any_of_its_words_finds():
    pattern = keyword_pattern(parse_keywords(f"{TOPICS}, late deliver*, tram"))
    found = {line: keywords_in(line, pattern) for line in REVIEWS.splitlines()[1:]}
    assert list(found.values()) == [
        {"refund OR money back"},
        {"refund OR money back"},
        {"late deliver*"},  # the longer phrase wins the words it covers
        {"deliver*", "refund OR money back"},
        {"deliver*"},
        set(),
    ]
    assert keywords_in("the trams and the tramway", pattern) == set()  # whole words


def test_a_topics_words_and_their_plurals_are_left_out_of_the_top_terms():
    pattern = keyword_pattern(["refund OR money back", "deliver*"])
    assert topical("refunds", pattern) is False  # plurals are `terms.tracked`'s, below
    tracked = keyword_pattern(with_plurals(["refund OR money back", "deliver*"]))
    assert all(topical(word, tracked) for word in ["refund", "refunds", "money back", "delivery"])
    assert not topical("waiting", tracked)


def test_an_upload_counts_filters_and_watches_a_topic(app, client, auth, api):
    auth.login()
    response = upload(auth, REVIEWS, keywords=TOPICS)
    assert response.status_code == 302, response.get_data(as_text=True)
    dataset_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        tagged = db.session.execute(
            select(TextRow.line, TextKeyword.keyword)
            .join(TextRow, TextRow.id == TextKeyword.text_id)
            .order_by(TextRow.line, TextKeyword.keyword)
        ).all()
    assert tagged == [
        (2, "refund OR money back"),
        (3, "refund OR money back"),
        (4, "deliver*"),
        (5, "deliver*"),
        (5, "refund OR money back"),
        (6, "deliver*"),
    ]
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    totals = {item["keyword"]: item["total"] for item in summary["keywords"]}
    assert totals == {"refund OR money back": 3, "deliver*": 3}
    # a link or a hand-typed filter reads the keyword as the dataset writes it
    shown = client.get(
        f"/datasets/{dataset_id}/summary.json", query_string={"keyword": "Refund OR Money Back"}
    )
    assert shown.json["analysed"] == 3
    page = client.get(f"/datasets/{dataset_id}").text
    assert '<option value="refund OR money back">refund OR money back</option>' in page
    rule = call(
        api,
        "POST",
        f"/api/v1/datasets/{dataset_id}/alert-rules",
        json={"metric": "volume", "keyword": "refund OR money back"},
    )
    assert rule.status_code == 201, rule.json
    assert rule.json["description"].endswith("(keyword refund OR money back)")


def test_a_bad_wildcard_is_refused_with_its_reason_and_nothing_changes(app, client, auth, api):
    auth.login()
    response = upload(auth, REVIEWS, keywords="tram")
    dataset_id = int(response.location.rsplit("/", 1)[1])
    edited = auth.post(
        f"/datasets/{dataset_id}/keywords",
        {"keywords": "refund, de*liver"},
        token_from=f"/datasets/{dataset_id}",
    )
    assert edited.status_code == 400
    assert "a * may only end a word" in edited.get_data(as_text=True)
    page = client.get(f"/datasets/{dataset_id}").text
    assert "tracking tram" in page
    refused = api_upload(api, REVIEWS.encode(), keywords="d*")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_keywords"
    assert "a * may only end a word" in refused.json["error"]["message"]
    feed = call(api, "POST", "/api/v1/datasets", json={"name": "Feed", "keywords": ["*"]})
    assert feed.status_code == 400 and feed.json["error"]["code"] == "invalid_keywords"
