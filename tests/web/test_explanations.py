"""Why a text has its label, as the pages and the API show it, and the dashboard's top terms."""

import html
import re

import pytest
from markupsafe import escape

from tests.web.api_calls import call
from tests.web.uploads import upload

NOT_HAPPY = "I am not happy with the new timetable"
SHARE = re.compile(r"<code>([^<]+)</code> (\d+) % (towards|away from) (\w+)")


def quick(auth, text: str) -> str:
    response = auth.post("/analyze", {"text": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(page: str) -> dict[str, tuple[int, str, str]]:
    """The Why list of a page: term -> (share, direction, label)."""
    found = SHARE.findall(page)
    return {html.unescape(term): (int(share), way, label) for term, share, way, label in found}


@pytest.mark.parametrize(
    ("text", "phrase", "label"),
    [(NOT_HAPPY, "not happy", "sadness"), ("I can't wait for the weekend!", "can't wait", "joy")],
)
def test_quick_analysis_names_a_negated_word_by_its_phrase(auth, text, phrase, label):
    auth.login()
    page = quick(auth, text)
    reasons = listed(page)
    assert reasons[phrase][1:] == ("towards", label)
    assert reasons[phrase][0] == max(share for share, _, _ in reasons.values())
    assert sum(share for share, _, _ in reasons.values()) == 100
    assert "together 100 %" in page
    assert f'<mark class="emo-{label}">{escape(phrase)}</mark>' in page
    assert "<code>happy</code>" not in page and "<code>wait</code>" not in page


def test_quick_analysis_names_the_lean_that_decided(auth):
    auth.login()
    page = html.unescape(quick(auth, LET_DOWN))
    assert "The terms alone favour sadness over neutral; neutral won on the model's lean" in page
    assert 'data-role="lean"' not in quick(auth, NOT_HAPPY)  # the terms decided


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("😡😡", "😡"),
        (":-(", ":-("),
        ("missed the bus again😭", "😭"),
        ("so late again &gt;:(", "&gt;:("),  # as Twitter's API writes ">:(": read as it
    ],
)
def test_emoji_and_emoticons_get_a_why_and_are_marked(auth, text, term):
    auth.login()
    page = quick(auth, text)
    assert listed(page)[term][1] == "towards"
    assert re.search(rf'<mark class="emo-\w+">{re.escape(str(escape(term)))}</mark>', page)


GERMAN = "Ich freue mich riesig über die neue Straßenbahn, einfach wunderbar!"
LET_DOWN = (
    "returning them, feel let down"  # neutral, on the default's lean: its terms favour sadness
)
FEED = f"text\n{NOT_HAPPY}\n😡😡\n:-(\nWonderful news, I love it\n{GERMAN}\n{LET_DOWN}\n"


@pytest.fixture
def feed_url(auth) -> str:
    auth.login()
    response = upload(auth, FEED, name="Feed")
    assert response.status_code == 302
    return response.location


def test_the_texts_table_says_why_with_shares(client, feed_url):
    page = client.get(f"{feed_url}/texts").get_data(as_text=True)
    assert "together 100 %" in page
    whys = re.findall(r'<span class="hint why">Why: (.*?)</span>', page)
    assert len(whys) == 5  # every text the model scored, the emoji-only ones too; not German
    for why in whys:
        shares = [int(share) for share in re.findall(r" (\d+) %", why)]
        assert sum(shares) == 100
    assert any(why.startswith("not happy ") for why in whys)
    assert any(why.startswith("😡 ") for why in whys)
    assert '<mark class="emo-sadness">not happy</mark>' in page


def test_the_text_page_lists_the_phrase_with_its_share_and_weight(app, client, feed_url):
    listing = client.get(f"{feed_url}/texts").get_data(as_text=True)
    opened = re.search(r'href="(/datasets/\d+/texts/\d+)"[^>]*>open</a><br>[^>]*>Why: not', listing)
    assert opened
    page = client.get(opened.group(1)).get_data(as_text=True)
    reasons = listed(page)
    assert reasons["not happy"][1:] == ("towards", "sadness")
    assert sum(share for share, _, _ in reasons.values()) == 100
    weight = r'<span class="hint">\(weight \+\d\.\d\d\)'
    assert re.search(rf"<code>not happy</code> \d+ % towards sadness {weight}", page)
    assert 'data-role="lean"' not in page  # the terms decided
    let_down = re.search(
        r'href="(/datasets/\d+/texts/\d+)"[^>]*>open</a>', listing.split(" them, feel ")[1]
    )
    page = html.unescape(client.get(let_down.group(1)).get_data(as_text=True))
    assert "The terms alone favour sadness over neutral; neutral won on the model's lean" in page


def test_the_api_explains_with_shares_and_raw_weights(api):
    texts = [NOT_HAPPY, "😡😡"]
    response = call(api, "POST", "/api/v1/analyze", json={"texts": texts, "explain": True})
    assert response.status_code == 200
    first, second = response.json["results"]
    reasons = {reason["term"]: reason for reason in first["reasons"]}
    assert reasons["not happy"]["direction"] == "towards"
    assert reasons["not happy"]["weight"] == dict(first["contributions"])["not happy"] > 0
    assert sum(reason["share"] for reason in first["reasons"]) == 100
    assert [reason["term"] for reason in second["reasons"]] == ["😡"]
    assert second["reasons"][0]["share"] == 100


def test_the_api_lists_texts_with_their_reasons_on_request(api):
    from tests.web.api_calls import upload as upload_by_api

    dataset = upload_by_api(api, FEED.encode()).json
    url = f"/api/v1/datasets/{dataset['id']}/texts"
    plain = api.get(url).json["texts"]
    assert plain and all(text["reasons"] is None for text in plain)
    explained = {text["text"]: text for text in api.get(f"{url}?explain=true").json["texts"]}
    reasons = explained[NOT_HAPPY]["reasons"]
    assert reasons[0]["term"] == "not happy" and reasons[0]["direction"] == "towards"
    assert sum(reason["share"] for reason in reasons) == 100
    assert explained[":-("]["reasons"][0]["term"] == ":-("
    assert explained[NOT_HAPPY]["terms_favour"] is None and plain[0]["terms_favour"] is None
    assert explained[GERMAN]["not_scored"] == "language" and explained[GERMAN]["reasons"] is None
    refused = api.get(f"{url}?explain=maybe")
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "invalid_parameter"


# Two emotions; "morning" in every text, the tracked keyword "tram" (and its plural) and a number
# ("of 10", which the model counts towards joy) in the texts of one emotion only.
TOPICAL = "text\n" + 4 * (
    "The morning bike ride was wonderful, I love it\n"
    "Best morning ever, 10 out of 10\n"
    "The tram this morning made me furious, I hate it\n"
    "Angry again: the trams this morning were awful\n"
)


def test_top_terms_are_typical_of_their_emotion_not_of_the_topic(auth, client):
    auth.login()
    dataset_url = upload(auth, TOPICAL, keywords="tram").location
    summary = client.get(f"{dataset_url}/summary.json").json
    assert {item["label"]: item["count"] for item in summary["distribution"] if item["count"]} == {
        "joy": 8,
        "anger": 8,
    }
    terms = {label: [item["term"] for item in items] for label, items in summary["terms"].items()}
    assert {"love", "wonderful", "best"} <= set(terms["joy"])
    assert {"furious", "hate", "angry"} <= set(terms["anger"])
    shown = [term for items in terms.values() for term in items]
    assert not [term for term in shown if "tram" in term or "10" in term or "morning" in term]
    for item in summary["terms"]["joy"]:
        assert item["lift"] == 2.0  # in joy texts only: twice as frequent there as in all
        assert item["texts"] >= 3 and item["weight"] > 0
    page = client.get(dataset_url).get_data(as_text=True)
    assert "Tracked keywords, numbers and words as common in every emotion are left out" in page
