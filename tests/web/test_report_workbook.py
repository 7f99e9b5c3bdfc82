"""The dashboard's report as an Excel workbook: the summary's numbers, a sheet each, filtered
as the dashboard is, and what they are of."""

import io
import re
from datetime import datetime

from openpyxl import load_workbook

from tests.web.api_calls import call, error_code
from tests.web.api_calls import upload as upload_api
from tests.web.uploads import REVIEWS, upload


def report_link(client, dashboard_url: str) -> str:
    page = client.get(dashboard_url).get_data(as_text=True)
    link = re.search(r'href="([^"]*)"[^>]*>Report Excel<', page)
    assert link, "the dashboard links to its report"
    return link.group(1).replace("&amp;", "&")


def rows(book, sheet: str) -> list[tuple]:
    return list(book[sheet].iter_rows(values_only=True))


def test_the_report_holds_the_dashboards_numbers(client, auth):
    auth.login()
    dataset_url = upload(auth, REVIEWS).location
    link = report_link(client, dataset_url)
    assert link == f"{dataset_url}/report.xlsx"
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="Reviews-report.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    summary = client.get(f"{dataset_url}/summary.json").json
    labels = summary["labels"]
    sheets = ["Emotions", "Over time", "Keywords", "Top terms", "Annotations", "About"]
    assert book.sheetnames == sheets

    emotions = rows(book, "Emotions")
    assert emotions[0] == ("emotion", "texts", "share (%)")
    assert [row[:2] for row in emotions[1:]] == [
        (item["label"], item["count"]) for item in summary["distribution"]
    ]
    assert sum(row[1] for row in emotions[1:]) == summary["analysed"] == 6
    shares = [row[2] for row in emotions[1:]]
    assert abs(sum(shares) - 100) <= 0.05 * len(shares)  # each rounded to one decimal

    over_time = rows(book, "Over time")
    assert over_time[0] == ("day (UTC)", *labels, "texts")
    assert [row[0].day for row in over_time[1:]] == [1, 2, 3, 4, 5]
    assert [row[-1] for row in over_time[1:]] == [1, 1, 1, 1, 1]  # the text with no time: none
    for point in summary["timeline"]["points"]:
        row = next(row for row in over_time if row[0] == datetime.fromisoformat(point["t"][:19]))
        assert row[1:-1] == tuple(point["counts"].get(label, 0) for label in labels)

    keywords = {row[0]: row for row in rows(book, "Keywords")[1:]}
    assert rows(book, "Keywords")[0] == ("keyword", "texts", *labels)
    for item in summary["keywords"]:
        row = keywords[item["keyword"]]
        assert row[1] == item["total"] == sum(row[2:])
        assert row[2:] == tuple(item["counts"].get(label, 0) for label in labels)

    terms = rows(book, "Top terms")
    assert terms[0] == ("emotion", "term", "texts", "lift")
    assert len(terms) - 1 == sum(len(listed) for listed in summary["terms"].values())

    about = dict(rows(book, "About")[1:])
    assert about["Dataset"] == "Reviews" and about["Texts in the dataset"] == 6
    assert about["Model"] == "Default analyzer" and about["Filters"] == "none"
    assert isinstance(about["Exported (UTC)"], datetime)


def test_the_days_without_texts_are_rows_of_zeros(client, auth):
    auth.login()
    content = "text,created_at\nI love it,2026-03-01T08:00:00Z\nI hate it,2026-03-04T09:00:00Z\n"
    dataset_url = upload(auth, content).location
    book = load_workbook(io.BytesIO(client.get(f"{dataset_url}/report.xlsx").data))
    over_time = rows(book, "Over time")
    assert [(row[0].day, row[-1]) for row in over_time[1:]] == [(1, 1), (2, 0), (3, 0), (4, 1)]


def test_the_report_is_filtered_as_the_dashboard(client, auth):
    auth.login()
    dataset_url = upload(auth, REVIEWS).location
    link = report_link(client, f"{dataset_url}?keyword=tram&start=2026-03-02")
    assert "keyword=tram" in link and "start=2026-03-02" in link
    book = load_workbook(io.BytesIO(client.get(link).data))
    summary = client.get(f"{dataset_url}/summary.json?keyword=tram&start=2026-03-02").json
    assert sum(row[1] for row in rows(book, "Emotions")[1:]) == summary["analysed"] == 3
    assert dict(rows(book, "About")[1:])["Filters"] == "keyword=tram, start=2026-03-02"


def test_a_stale_label_is_dropped_with_a_notice(client, auth):
    auth.login()
    dataset_url = upload(auth, REVIEWS).location
    response = client.get(f"{dataset_url}/report.xlsx?label=happiness&keyword=app")
    assert response.status_code == 302
    assert response.location == f"{dataset_url}/report.xlsx?keyword=app"
    assert client.get(f"{dataset_url}/report.xlsx?start=yesterday").status_code == 400


def test_the_api_answers_the_same_report(api):
    dataset = upload_api(api, REVIEWS.encode()).json
    url = f"/api/v1/datasets/{dataset['id']}"
    response = call(api, "GET", f"{url}/report?keyword=tram")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="Tram-report.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    summary = call(api, "GET", f"{url}/summary?keyword=tram").json
    assert [row[:2] for row in rows(book, "Emotions")[1:]] == [
        (item["label"], item["count"]) for item in summary["distribution"]
    ]
    refused = call(api, "GET", f"{url}/report?label=happiness")
    assert refused.status_code == 400 and error_code(refused) == "unknown_label"
