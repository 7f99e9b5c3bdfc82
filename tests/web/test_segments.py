"""Segments: a column of categories (a channel, a product) chosen at the upload, stored with
each text, counted with its label, broken down on the dashboard and filtering every view."""

import csv
import io

from openpyxl import load_workbook

from emolytics.pipeline import segments
from tests.web.correction_steps import (
    _assert_counts_are_a_full_recount,
    _correct_on_page,
    _text,
)
from tests.web.uploads import counts, upload

SURVEY = (
    "answer,channel,created_at,lat,lon\n"
    '"I love the new tram, so quick",App,2026-03-01T08:00:00Z,48.2,16.3\n'
    '"The app crashed again, I am furious",App,2026-03-01T09:00:00Z,48.3,16.4\n'
    '"Tickets scare me, far too expensive",Web shop,2026-03-02T10:00:00Z,,\n'
    '"What a lovely ride this morning",Kiosk,2026-03-03T11:00:00Z,48.1,16.2\n'
    '"The staff were kind and helpful",,2026-03-04T12:00:00Z,,\n'
)


def survey(auth, content: str = SURVEY, **fields: str) -> int:
    auth.login()
    chosen = {"text_column": "answer", "time_column": "created_at", "lat_column": "lat"}
    fields = {**chosen, "lon_column": "lon", "segment_column": "channel", **fields}
    response = upload(auth, content, "survey.csv", **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def summary(client, dataset_id: int, query: str = "") -> dict:
    return client.get(f"/datasets/{dataset_id}/summary.json?{query}").json


def test_the_dashboard_breaks_emotions_down_by_segment(client, auth):
    dataset_id = survey(auth)
    shown = summary(client, dataset_id)
    rows = [(row["segment"], row["other"], row["total"]) for row in shown["segments"]]
    assert rows == [("App", 0, 2), ("Kiosk", 0, 1), ("Web shop", 0, 1), (None, 0, 1)]
    assert sum(shown["segments"][0]["counts"].values()) == 2
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert '<option value="App">App (2 texts)</option>' in page
    assert 'data-chart="segments"' in page and "Emotions by channel</h2>" in page


def test_a_segment_filters_every_view(client, auth):
    dataset_id = survey(auth)
    shown = summary(client, dataset_id, "segment=App")
    assert shown["analysed"] == 2 and shown["map"]["geotagged"] == 2
    assert [row["segment"] for row in shown["segments"]] == ["App"]
    assert shown["filters"] == {"segment": "App"}
    texts = client.get(f"/datasets/{dataset_id}/texts?segment=App").get_data(as_text=True)
    assert "2 texts match" in texts and "<td>App</td>" in texts and "<td>Kiosk</td>" not in texts
    exported = client.get(f"/datasets/{dataset_id}/export.csv?segment=Web+shop").text
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert (row["text"], row["segment"]) == ("Tickets scare me, far too expensive", "Web shop")
    assert summary(client, dataset_id, "segment=Nowhere")["analysed"] == 0
    searched = summary(client, dataset_id, "segment=App&q=tram")  # counted from the texts
    assert searched["analysed"] == 1


def test_segments_past_the_shown_are_summed_as_others(client, auth, monkeypatch):
    monkeypatch.setattr(segments, "BROKEN_DOWN", 2)
    dataset_id = survey(auth)
    shown = summary(client, dataset_id)["segments"]
    rows = [(row["segment"], row["other"], row["total"]) for row in shown]
    assert rows == [("App", 0, 2), ("Kiosk", 0, 1), (None, 1, 1), (None, 0, 1)]


def test_a_correction_moves_its_text_within_its_segment(app, client, auth):
    dataset_id = survey(auth)
    text_id, _ = _text(app, dataset_id, "What a lovely ride this morning")
    _correct_on_page(auth, dataset_id, text_id, "fear")
    [kiosk] = [row for row in summary(client, dataset_id)["segments"] if row["segment"] == "Kiosk"]
    assert kiosk["counts"] == {"fear": 1}
    _assert_counts_are_a_full_recount(app, dataset_id)


def test_a_column_of_too_many_values_is_refused(app, auth, monkeypatch):
    monkeypatch.setattr(segments, "MAX_SEGMENTS", 2)
    before = counts(app)
    auth.login()
    response = upload(auth, SURVEY, "survey.csv", text_column="answer", segment_column="channel")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The segment column &#39;channel&#39; has more than 2 different values" in page
    assert "(line 5 brings one more)" in page and 'id="segment_column-errors"' in page
    assert counts(app) == before


def test_the_report_has_a_segments_sheet(client, auth):
    dataset_id = survey(auth)
    report = client.get(f"/datasets/{dataset_id}/report.xlsx")
    book = load_workbook(io.BytesIO(report.data), read_only=True)
    assert "Segments" in book.sheetnames
    rows = list(book["Segments"].iter_rows(values_only=True))
    assert rows[0][:2] == ("segment", "texts")
    assert [row[:2] for row in rows[1:]] == [
        ("App", 2),
        ("Kiosk", 1),
        ("Web shop", 1),
        ("No segment", 1),
    ]


def test_a_dataset_without_a_segment_column_shows_no_segments(client, auth):
    dataset_id = survey(auth, segment_column="")
    assert summary(client, dataset_id)["segments"] == []
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert 'name="segment"' not in page and 'data-chart="segments"' not in page
    texts = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    assert "<th>Segment</th>" not in texts
