"""Corrections from the texts table: back to the same page, the corrected filter, its counts."""

from collections import Counter

from emolytics.pipeline import filters, map_points
from tests.web.api_calls import call, error_code
from tests.web.correction_steps import _correct_on_page, _text, _upload


def test_the_table_corrects_a_row_and_comes_back_to_the_same_filtered_page(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 6")
    table = f"/datasets/{dataset_id}/texts?label=joy&keyword=tram"
    page = client.get(table).get_data(as_text=True)
    assert page.count('data-role="correct"') == 8  # one form per row
    assert "8 texts match" in page
    response = _correct_on_page(auth, dataset_id, text_id, "sadness", next=table)
    assert response.location == table
    page = client.get(table).get_data(as_text=True)
    assert "7 texts match" in page
    corrected = client.get(f"/datasets/{dataset_id}/texts?corrected=true").get_data(as_text=True)
    assert "1 text matches" in corrected
    assert 'data-role="corrected">corrected, model said joy</span>' in corrected
    assert "Why the model said joy: love" in corrected
    assert '<option value="true" selected>corrected</option>' in corrected
    offsite = _correct_on_page(auth, dataset_id, text_id, "fear", next="https://evil.example/")
    assert offsite.location == f"/datasets/{dataset_id}/texts/{text_id}"


def test_the_corrected_filter_on_the_table_the_api_and_the_summary(app, client, auth, api):
    dataset_id = _upload(auth)
    agreeing, model_label = _text(app, dataset_id, "The app crashed again, I am furious 1")
    disagreeing, _ = _text(app, dataset_id, "I love the new tram 9")
    _correct_on_page(auth, dataset_id, agreeing, model_label)  # the model was right
    _correct_on_page(auth, dataset_id, disagreeing, "surprise")
    expected = {"true": 2, "false": 22, "disagree": 1}
    for value, total in expected.items():
        page = client.get(f"/datasets/{dataset_id}/texts?corrected={value}").get_data(True)
        assert f"{total} text{'s' if total > 1 else ''} match" in page
        answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected={value}").json
        assert answer["total"] == total and len(answer["texts"]) == total
        assert answer["filters"]["corrected"] == value
        summary = client.get(f"/datasets/{dataset_id}/summary.json?corrected={value}").json
        assert summary["analysed"] == total
    only = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected=disagree").json
    assert [(t["id"], t["label"], t["model_label"]) for t in only["texts"]] == [
        (disagreeing, "surprise", "joy")
    ]
    bad = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected=maybe")
    assert bad.status_code == 400 and error_code(bad) == "invalid_corrected"
    assert client.get(f"/datasets/{dataset_id}/texts?corrected=maybe").status_code == 400


def test_the_texts_not_corrected_are_the_stored_counts_less_the_corrected_ones(
    app, client, auth, api, monkeypatch
):
    dataset_id = _upload(auth)
    corrected = {}
    for words, label in [
        ("The app crashed again, I am furious 1", "anger"),  # the model's own label
        ("I love the new tram 9", "surprise"),  # geotagged, at hour 5
        ("I love the new tram 0", "sadness"),  # geotagged, the first hour
        ("Tickets scare me 5", "joy"),  # no time
    ]:
        text_id, _ = _text(app, dataset_id, words)
        _correct_on_page(auth, dataset_id, text_id, label)
        corrected[text_id] = label
    texts = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?per_page=100").json["texts"]
    left = [text for text in texts if text["id"] not in corrected]
    assert len(left) == 20 and not any(text["corrected"] for text in left)

    url = f"/datasets/{dataset_id}/summary.json?corrected=false"
    summary = client.get(url).json
    counted = {row["label"]: row["count"] for row in summary["distribution"]}
    assert {label: n for label, n in counted.items() if n} == Counter(t["label"] for t in left)
    assert (summary["analysed"], summary["corrected"]) == (20, 0)
    placed = {point[3] for point in summary["map"]["points"]}
    assert placed == {text["id"] for text in left if text["lat"] is not None}
    assert summary["map"]["geotagged"] == len(placed) == 6
    mentions = {row["keyword"]: row["total"] for row in summary["keywords"]}
    assert mentions == {"tram": 6, "app": 7}
    page = client.get(f"/datasets/{dataset_id}/texts?corrected=false").get_data(as_text=True)
    assert "20 texts match" in page
    mine = client.get(f"/datasets/{dataset_id}/summary.json?corrected=true").json
    assert (mine["analysed"], mine["corrected"]) == (4, 4)
    assert {row["label"]: row["count"] for row in mine["distribution"] if row["count"]} == {
        "anger": 1,
        "surprise": 1,
        "sadness": 1,
        "joy": 1,
    }
    assert {row["keyword"]: row["total"] for row in mine["keywords"]} == {"tram": 2, "app": 1}

    # the same numbers as counting the texts not corrected one by one, under other filters too
    queries = ["corrected=false", "corrected=false&keyword=tram", "corrected=false&label=joy"]
    answers = [client.get(f"/datasets/{dataset_id}/summary.json?{query}").json for query in queries]
    for module in (filters, map_points):
        monkeypatch.setattr(module, "counted_now", lambda dataset, kept: True)
    for query, answer in zip(queries, answers, strict=True):
        counted = client.get(f"/datasets/{dataset_id}/summary.json?{query}").json
        # the stored counts keep no time per text: their span is of all the texts (documented)
        counted.pop("span"), answer.pop("span")
        assert counted == answer
