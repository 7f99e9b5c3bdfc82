"""The dashboard's view compared with the period before it: the summary's `comparison` (API and
page JSON alike), its periods, shares and significance, and the report workbook's columns."""

import math
from io import BytesIO

import pytest
from openpyxl import load_workbook

from emolytics.pipeline.periods import holm, two_proportions
from tests.web.api_calls import upload

JOY = "I love this what a wonderful happy day"
ANGER = "I am furious this is outrageous and infuriating"


def _week(first_day: int, joy: int, anger: int) -> str:
    """A week of texts from 2026-03-<first_day>, one every few hours."""
    texts = [JOY] * joy + [ANGER] * anger
    return "".join(
        f"{text},2026-03-{first_day + index % 7:02d}T{8 + index // 7:02d}:30:00Z\n"
        for index, text in enumerate(texts)
    )


# The week before: mostly joy (16 of 20); the week of 8 March: mostly anger (15 of 20).
TWO_WEEKS = ("text,posted_at\n" + _week(1, 16, 4) + _week(8, 5, 15)).encode()


@pytest.fixture
def dataset(api):
    response = upload(api, TWO_WEEKS)
    assert response.status_code == 201, response.json
    return response.json


def _summary(api, dataset, query=""):
    response = api.get(f"/api/v1/datasets/{dataset['id']}/summary?{query}")
    assert response.status_code == 200, response.json
    return response.json


def _by_label(comparison):
    return {row["label"]: row for row in comparison["labels"]}


def test_a_week_against_the_week_before(api, dataset):
    comparison = _summary(api, dataset, "start=2026-03-08&end=2026-03-14")["comparison"]
    assert (comparison["start"], comparison["end"]) == ("2026-03-08", "2026-03-14")
    assert (comparison["previous_start"], comparison["previous_end"]) == (
        "2026-03-01",
        "2026-03-07",
    )
    assert (comparison["analysed"], comparison["previous_analysed"]) == (20, 20)
    rows = _by_label(comparison)
    assert (rows["joy"]["count"], rows["joy"]["previous_count"]) == (5, 16)
    assert (rows["anger"]["count"], rows["anger"]["previous_count"]) == (15, 4)
    assert rows["joy"]["change"] == pytest.approx(5 / 20 - 16 / 20)
    assert rows["anger"]["change"] == pytest.approx(15 / 20 - 4 / 20)
    assert rows["joy"]["significant"] and rows["anger"]["significant"]
    assert rows["fear"] == {
        "label": "fear",
        "count": 0,
        "previous_count": 0,
        "change": 0.0,
        "significant": False,
    }


def test_no_dates_no_comparison_but_the_span_to_choose_from(api, dataset):
    summary = _summary(api, dataset)
    assert summary["comparison"] is None
    assert summary["span"] == {"first": "2026-03-01T08:30:00Z", "last": "2026-03-14T09:30:00Z"}


def test_an_open_end_runs_to_the_last_texts_hour(api, dataset):
    comparison = _summary(api, dataset, "start=2026-03-08")["comparison"]
    # 8 March 00:00 to the end of the last text's hour (14 March 09:00-10:00): the same
    # 6 days and 10 hours before it, from 1 March 14:00
    assert (comparison["start"], comparison["end"]) == ("2026-03-08", "2026-03-14T09:00")
    assert (comparison["previous_start"], comparison["previous_end"]) == (
        "2026-03-01T14:00",
        "2026-03-07",
    )
    assert comparison["analysed"] == 20
    # the week before less its three texts of 1 March (08:30, 09:30, 10:30)
    assert comparison["previous_analysed"] == 17


def test_shares_are_of_all_texts_under_a_label_filter(api, dataset):
    summary = _summary(api, dataset, "start=2026-03-08&end=2026-03-14&label=joy")
    assert summary["analysed"] == 5
    rows = _by_label(summary["comparison"])
    assert summary["comparison"]["analysed"] == 20
    assert (rows["joy"]["count"], rows["anger"]["count"]) == (5, 15)


def test_a_period_with_no_texts_has_no_changes(api, dataset):
    comparison = _summary(api, dataset, "start=2026-03-15&end=2026-03-21")["comparison"]
    assert (comparison["analysed"], comparison["previous_analysed"]) == (0, 20)
    assert all(row["change"] is None and not row["significant"] for row in comparison["labels"])


def test_no_period_before_the_calendar(api, dataset):
    summary = _summary(api, dataset, "start=0163-07-04")
    assert summary["analysed"] == 40 and summary["comparison"] is None
    comparison = _summary(api, dataset, "start=1100-03-08&end=2026-03-14")["comparison"]
    assert comparison["previous_start"] == "0174-02-28" and comparison["previous_analysed"] == 0


def test_the_other_filters_hold_in_both_periods(api, dataset):
    comparison = _summary(api, dataset, "start=2026-03-08&end=2026-03-14&q=furious")["comparison"]
    assert (comparison["analysed"], comparison["previous_analysed"]) == (15, 4)
    assert _by_label(comparison)["anger"]["change"] == 0.0


def test_the_page_json_compares_too(client, auth, dataset):
    auth.login()
    response = client.get(f"/datasets/{dataset['id']}/summary.json?start=2026-03-08&end=2026-03-14")
    assert response.status_code == 200
    assert response.json["comparison"]["previous_analysed"] == 20


def test_the_report_workbook_has_the_period_before(api, dataset):
    response = api.get(f"/api/v1/datasets/{dataset['id']}/report?start=2026-03-08&end=2026-03-14")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data), read_only=True)["Emotions"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["emotion"][3:] == (
        "texts before (2026-03-01 to 2026-03-07)",
        "share before (%)",
        "change (points)",
        "significant",
    )
    assert rows["joy"][1:] == (5, 25.0, 16, 80.0, -55.0, True)


def test_two_proportions_and_holm():
    # 50 of 100 against 30 of 100: z = 0.2 / sqrt(0.4 * 0.6 * 0.02)
    z = 0.2 / math.sqrt(0.4 * 0.6 * 0.02)
    assert two_proportions(50, 100, 30, 100) == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert two_proportions(3, 0, 1, 10) == 1.0 and two_proportions(0, 5, 0, 9) == 1.0
    # Holm: 0.01 <= 0.05/3, 0.02 <= 0.05/2, then 0.04 > 0.05/1 would pass but 0.06 stops it
    assert holm({"a": 0.01, "b": 0.02, "c": 0.06}, 0.05) == {"a", "b"}
    assert holm({"a": 0.01, "b": 0.03, "c": 0.04}, 0.05) == {"a"}
