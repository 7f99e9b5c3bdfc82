"""Datasets through the pages: dashboard numbers and filters, texts pages, exports, the sample."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import Dataset, Job, TextRow
from tests.web.model_steps import labeled_tickets, train
from tests.web.uploads import counts, upload


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
    searched = client.get(f"{dataset_url}/texts?q=<SCRIPT>").get_data(as_text=True)
    assert '<td class="text"><b class="found">&lt;script&gt;</b>' in searched
    assert "<script>alert(1)" not in searched


def test_the_texts_table_leaves_out_the_columns_the_dataset_has_no_values_in(
    client, auth, dataset_id
):
    full = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert "<th>Time</th><th>Author</th>" in full
    bare = upload(auth, "text\nI love it\nI hate it\n", name="Bare").location
    page = client.get(f"{bare}/texts").get_data(as_text=True)
    assert "2 texts match" in page
    assert "<th>Language</th></tr>" in page and "<th>Time</th>" not in page
    assert "<th>Author</th>" not in page
    empty = client.get(f"{bare}/texts?q=nowhere").get_data(as_text=True)
    assert '<td colspan="4">No texts match these filters.' in empty


def test_the_texts_table_shows_where_a_search_found_its_text(client, dataset_id):
    page = client.get(f"/datasets/{dataset_id}/texts?q=TRAM").get_data(as_text=True)
    assert "4 texts match" in page and "In bold: “TRAM”, where the search found it." in page
    assert '<b class="found">TRAM</b>' in page and page.count('<b class="found">tram</b>') == 3
    page = client.get(f"/datasets/{dataset_id}/texts?q=fur").get_data(as_text=True)
    # inside a term that pushed towards the label: the term's mark stays whole around it
    assert re.search(r'<mark class="emo-\w+"><b class="found">fur</b>ious</mark>', page), page
    opened = re.search(r'href="(/datasets/\d+/texts/\d+\?q=fur)"', page)
    assert opened, "the text's link keeps the search"
    text_page = client.get(opened.group(1)).get_data(as_text=True)
    assert '<b class="found">fur</b>ious</mark>' in text_page  # the text's own page too
    back = f'href="/datasets/{dataset_id}/texts?q=fur">← Reviews: texts containing “fur”'
    assert back in text_page
    page = client.get(f"/datasets/{dataset_id}/texts?q=%22ve+the%22").get_data(as_text=True)
    assert 'lo<b class="found">ve</b></mark><b class="found"> the</b> <mark' in page  # across
    assert "In bold" not in client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)


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


def test_excel_export_is_a_workbook_of_the_filtered_texts(client, auth):
    auth.login()
    content = 'text,author\n"Crème brûlée, I love it 😍",zoë\n"=HYPERLINK(1) awful",@evil\n'
    dataset_url = upload(auth, content).location
    page = client.get(f"{dataset_url}?q=awful").get_data(as_text=True)
    link = re.search(r'href="([^"]*)"[^>]*>Export Excel<', page)
    assert link and "export.xlsx" in link.group(1) and "q=awful" in link.group(1)
    exported = client.get(link.group(1).replace("&amp;", "&"))
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].endswith('results.xlsx"')
    rows = list(load_workbook(io.BytesIO(exported.data))["Texts"].iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "line", "text")
    assert [row[2:5:2] for row in rows[1:]] == [("=HYPERLINK(1) awful", "@evil")]
    everything = load_workbook(io.BytesIO(client.get(f"{dataset_url}/export.xlsx").data))
    assert everything["Texts"]["C2"].value == "Crème brûlée, I love it 😍"


def test_a_models_labels_are_exported_as_they_are_even_signed_numbers(client, auth):
    auth.login()
    scores = labeled_tickets([("I love it, great", "+1"), ("Awful, I hate it", "-1")])
    model_url = train(auth, scores.replace("topic", "score"), label_column="score").location
    dataset_url = upload(auth, "text\nGreat, I love it\nI hate it, awful\n").location
    analysed = auth.post(f"{model_url}/analyze", {"dataset": dataset_url.rsplit("/", 1)[1]})
    assert analysed.location == dataset_url
    rows = list(csv.DictReader(io.StringIO(client.get(f"{dataset_url}/export.csv").text)))
    assert [(row["label"], row["model_label"]) for row in rows] == [("+1", "+1"), ("-1", "-1")]
    assert {"score_+1", "score_-1"} <= set(rows[0])


def test_csv_export_for_excel_starts_with_a_byte_order_mark(client, auth):
    auth.login()
    content = 'text,author\n"Crème brûlée, I love it 😍",zoë\n"=HYPERLINK(1) awful",@evil\n'
    dataset_url = upload(auth, content).location
    exported = client.get(f"{dataset_url}/export.csv?excel=1")
    assert exported.status_code == 200
    assert exported.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "line", "text"]
    assert rows[1][2:5:2] == ["Crème brûlée, I love it 😍", "zoë"]
    assert rows[2][2:5:2] == ["'=HYPERLINK(1) awful", "'@evil"]  # still inert
    assert not client.get(f"{dataset_url}/export.csv").data.startswith(b"\xef\xbb\xbf")


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
