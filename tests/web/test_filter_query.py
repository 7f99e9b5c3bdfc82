"""The dashboard's filters are read by one parser for the pages and the API: the same query
gives the same filters, and the same bad query the same refusal, worded by each side."""

from datetime import UTC, datetime
from io import BytesIO

import pytest

from emolytics.pipeline.filters import Filters
from emolytics.schemas.filters import BadDate, UnknownLabel, parse

LABELS = ["joy", "anger"]


def test_a_query_becomes_the_filters():
    args = {"label": "joy", "keyword": " Tram ", "start": "2026-03-01", "end": "2026-03-02"}
    filters = parse({**args, "q": "  late  ", "page": "2"}, LABELS)
    assert filters == Filters(
        label="joy",
        keyword="tram",
        start=datetime(2026, 3, 1, tzinfo=UTC),
        end=datetime(2026, 3, 3, tzinfo=UTC),
        query="late",
    )
    assert parse({"label": "", "q": "   "}, LABELS) == Filters()
    assert parse({"q": "x" * 300}, LABELS).query == "x" * 200


def test_an_unknown_label_and_bad_dates_are_refused():
    with pytest.raises(UnknownLabel) as refused:
        parse({"label": "surprise"}, LABELS)
    assert refused.value.label == "surprise"
    with pytest.raises(BadDate) as refused:
        parse({"start": "yesterday"}, LABELS)
    assert (refused.value.name, refused.value.out_of_range) == ("start", False)
    with pytest.raises(BadDate) as refused:
        parse({"end": "9999-12-31"}, LABELS)
    assert (refused.value.name, refused.value.out_of_range) == ("end", True)


def test_the_page_and_the_api_refuse_the_same_bad_date(app, client, auth, api):
    headers = {"Authorization": f"Bearer {api.token}"}
    form = {"name": "Tram", "file": (BytesIO(b"text\nhello\n"), "t.csv")}
    assert api.client.post("/api/v1/datasets", data=form, headers=headers).status_code == 201
    answer = api.client.get("/api/v1/datasets/1/summary?end=9999-12-31", headers=headers)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "invalid_date"
    auth.login()
    page = client.get("/datasets/1/summary.json?end=9999-12-31")
    assert page.status_code == 400
    assert "The end date is out of range." in page.get_data(as_text=True)


@pytest.mark.parametrize("path", ["summary", "timeline", "texts", "export", "report"])
def test_the_api_refuses_an_end_before_the_start(api, path):
    headers = {"Authorization": f"Bearer {api.token}"}
    form = {"name": "Tram", "file": (BytesIO(b"text\nhello\n"), "t.csv")}
    assert api.client.post("/api/v1/datasets", data=form, headers=headers).status_code == 201
    url = f"/api/v1/datasets/1/{path}"
    reversed_days = api.client.get(f"{url}?start=2026-03-04&end=2026-03-02", headers=headers)
    assert reversed_days.status_code == 400
    assert reversed_days.json["error"] == {
        "code": "invalid_date",
        "message": "The end date (2026-03-02) is before the start date (2026-03-04): "
        "change one of them.",
    }
    one_day = api.client.get(f"{url}?start=2026-03-02&end=2026-03-02", headers=headers)
    assert one_day.status_code == 200
