"""API v1: a dataset's summary, timeline and texts, and the refusals of their filters."""

import pytest

from tests.web.api_calls import error_code, upload


def test_summary_timeline_and_texts(api):
    dataset = upload(api, keywords="tram").json
    base = f"/api/v1/datasets/{dataset['id']}"
    summary = api.get(f"{base}/summary").json
    assert summary["dataset"]["id"] == dataset["id"] and summary["analysed"] == 3
    assert sum(row["count"] for row in summary["distribution"]) == 3

    timeline = api.get(f"{base}/timeline").json
    assert timeline["bucket"] == "hour" or timeline["bucket"] == "day"
    assert sum(sum(point["counts"].values()) for point in timeline["points"]) == 3

    page = api.get(f"{base}/texts?per_page=2").json
    assert (page["total"], page["pages"], page["per_page"], page["page"]) == (3, 2, 2, 1)
    newest = page["texts"][0]
    assert newest["text"] == "Scared of the crowds on the platform"
    assert newest["posted_at"] == "2026-03-03T10:00:00+00:00"
    assert newest["author"] == "cy" and newest["label"] in newest["scores"]

    label = newest["label"]
    filtered = api.get(f"{base}/texts?label={label}&q=CROWDS").json
    assert [text["id"] for text in filtered["texts"]] == [newest["id"]]
    assert filtered["filters"] == {"label": label, "q": "CROWDS"}
    assert api.get(f"{base}/texts?keyword=tram").json["total"] == 2
    dated = api.get(f"{base}/summary?start=2026-03-02&end=2026-03-02").json
    assert dated["analysed"] == 1


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("label=bliss", "unknown_label"),
        ("start=yesterday", "invalid_date"),
        ("end=2026-13-01", "invalid_date"),
        ("per_page=0", "invalid_parameter"),
        ("per_page=201", "invalid_parameter"),
        ("page=two", "invalid_parameter"),
        ("page=-1", "invalid_parameter"),
        ("page=%C2%B2", "invalid_parameter"),
        ("q=a%00b", "bad_request"),
    ],
)
def test_report_refusals(api, query, code):
    dataset = upload(api).json
    response = api.get(f"/api/v1/datasets/{dataset['id']}/texts?{query}")
    assert response.status_code == 400
    assert error_code(response) == code


def test_a_day_past_the_calendar_is_refused(api):
    dataset = upload(api).json
    response = api.get(f"/api/v1/datasets/{dataset['id']}/summary?end=9999-12-31")
    assert response.status_code == 400
    assert error_code(response) == "invalid_date"
