"""API v1 export: a dataset's results as one streamed JSON Lines, CSV or Excel file, filtered."""

import csv
import io
import json
from io import BytesIO

import pytest
from flask import Flask
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from emolytics.accounts import registration, tokens
from emolytics.extensions import db
from emolytics.tables import AuditEvent
from tests.conftest import ApiClient

REVIEWS = (
    "text,created_at\n"
    "I love the new tram!,2026-03-01T08:00:00Z\n"
    "The tram was late again and I am furious,2026-03-02T09:00:00Z\n"
    "Scared of the crowds on the platform,2026-03-03T10:00:00Z\n"
    '"=HYPERLINK(1) so happy with the tram",2026-03-04T10:00:00Z\n'
    "Die Straßenbahn ist wieder zu spät und ich bin wütend,2026-03-05T10:00:00Z\n"
)


@pytest.fixture
def base(api: ApiClient) -> str:
    """The API address of ada's analysed dataset of REVIEWS."""
    form = {"name": "Tram / 2026", "file": (BytesIO(REVIEWS.encode()), "reviews.csv")}
    headers = {"Authorization": f"Bearer {api.token}"}
    response = api.client.post("/api/v1/datasets", data=form, headers=headers)
    assert response.status_code == 201, response.json
    return f"/api/v1/datasets/{response.json['id']}"


def records(api: ApiClient, url: str) -> list[dict]:
    response = api.get(url)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/x-ndjson"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_json_lines_hold_every_text_as_the_texts_endpoint_shows_it(api, base):
    response = api.get(f"{base}/export")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Tram-2026-results.jsonl"'
    )
    response.close()  # a download stopped after its headers
    exported = records(api, f"{base}/export")
    assert [record["line"] for record in exported] == [2, 3, 4, 5, 6]  # upload order
    paged = {text["id"]: text for text in api.get(f"{base}/texts?per_page=200").json["texts"]}
    assert {record["id"] for record in exported} == set(paged)
    for record in exported:
        shown = paged[record["id"]]
        same = ("text", "label", "model_label", "language", "not_scored", "corrected", "author")
        assert {key: record[key] for key in same} == {key: shown[key] for key in same}
        assert record.keys() == shown.keys() - {"reasons", "terms_favour"}  # (explain=true)
        for number in ("confidence", "valence"):
            assert record[number] == pytest.approx(shown[number], abs=5e-5)
        assert record["scores"] == pytest.approx(shown["scores"], abs=5e-5)
    german = next(record for record in exported if record["language"] == "de")
    assert german["label"] is None and german["not_scored"] == "language"


def test_csv_has_a_score_column_per_label_and_inert_formulas(api, base):
    response = api.get(f"{base}/export?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith('-results.csv"')
    assert not response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5
    assert {"id", "text", "label", "valence", "score_joy", "score_anger"} <= set(rows[0])
    assert rows[3]["text"] == "'=HYPERLINK(1) so happy with the tram"
    assert rows[4]["label"] == "not scored (language)" and rows[4]["score_joy"] == ""


def test_an_excel_workbook_holds_the_csvs_cells_typed(api, base):
    first = records(api, f"{base}/export")[0]
    corrected = api.client.put(
        f"{base}/texts/{first['id']}/label",
        json={"label": "fear"},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert corrected.status_code == 200, corrected.json
    response = api.get(f"{base}/export?format=xlsx&q=tram")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].endswith('-results.xlsx"')
    sheet = load_workbook(io.BytesIO(response.data))["Texts"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    rows = list(csv.reader(io.StringIO(api.get(f"{base}/export?format=csv&q=tram").data.decode())))
    assert cells[0] == rows[0] and len(cells) == len(rows) == 4
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(cells[0]))}4"
    column = {name: index for index, name in enumerate(cells[0])}
    for typed, written in zip(cells[1:], rows[1:], strict=True):
        assert typed[column["id"]] == int(written[column["id"]])
        assert typed[column["posted_at"]].isoformat() == written[column["posted_at"]][:19]
        assert typed[column["valence"]] == pytest.approx(float(written[column["valence"]]))
        assert typed[column["score_joy"]] == pytest.approx(float(written[column["score_joy"]]))
        assert typed[column["corrected"]] is (written[column["corrected"]] == "true")
    assert cells[1][column["label"]] == "fear" and cells[1][column["corrected"]] is True
    assert cells[1][column["model_label"]] == first["model_label"]
    assert cells[3][column["text"]] == "=HYPERLINK(1) so happy with the tram"  # text, not formula
    assert sheet.cell(4, column["text"] + 1).data_type == "s"


def test_filters_keep_the_same_texts_as_the_texts_endpoint(api, base):
    for query in ("label=anger", "q=tram", "start=2026-03-02&end=2026-03-03", "language=de"):
        paged = api.get(f"{base}/texts?per_page=200&{query}").json
        exported = records(api, f"{base}/export?{query}")
        assert sorted(record["id"] for record in exported) == sorted(
            text["id"] for text in paged["texts"]
        ), query
        assert len(exported) == paged["total"], query
    assert records(api, f"{base}/export?label=fear&start=2026-03-05") == []


def test_a_live_feed_is_read_on_from_the_last_id(api):
    headers = {"Authorization": f"Bearer {api.token}"}
    feed = api.client.post("/api/v1/datasets", json={"name": "Feed"}, headers=headers).json
    base = f"/api/v1/datasets/{feed['id']}"

    def push(*texts: str) -> None:
        pushed = api.client.post(f"{base}/texts", json=list(texts), headers=headers)
        assert pushed.status_code == 201, pushed.json

    push("I love the new tram", "so angry about the delay")
    first = records(api, f"{base}/export")
    assert [record["text"] for record in first] == [
        "I love the new tram",
        "so angry about the delay",
    ]
    push("scared of the crowds")
    newer = records(api, f"{base}/export?after_id={first[-1]['id']}")
    assert [(record["text"], record["label"]) for record in newer] == [
        ("scared of the crowds", "fear")
    ]
    assert records(api, f"{base}/export?after_id={newer[-1]['id']}") == []
    assert records(api, f"{base}/export?after_id=0") == first + newer


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("format=xls", "invalid_parameter", "format is jsonl, csv or xlsx."),
        ("format=CSV", "invalid_parameter", "format is jsonl, csv or xlsx."),
        ("after_id=-1", "invalid_parameter", "after_id must be a whole number from 0 to"),
        ("after_id=2147483648", "invalid_parameter", "after_id must be a whole number from 0"),
        ("label=happiness", "unknown_label", "Unknown label 'happiness'"),
        ("start=yesterday", "invalid_date", "start must be a date"),
        ("language=german", "invalid_language", "language must be a language code"),
    ],
)
def test_bad_queries_are_refused_with_a_message(api, base, query, code, words):
    response = api.get(f"{base}/export?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert words in response.json["error"]["message"]


def test_exports_are_audited_and_other_teams_get_404(app: Flask, api, base):
    assert api.get(f"{base}/export?format=csv").status_code == 200
    with app.app_context():
        stranger = registration.register("grace", "violet harbour 1987")
        secret = tokens.create_token(stranger, "grace's script").secret
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "dataset.exported")
        ).all()
    assert [event.target for event in events] == [
        f'dataset {base.rsplit("/")[-1]} "Tram / 2026" as csv'
    ]
    grace = ApiClient(app.test_client(), secret)
    response = grace.get(f"{base}/export")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert "Tram" not in response.get_data(as_text=True)
    assert api.client.get(f"{base}/export").status_code == 401  # no token


def test_the_document_describes_the_three_files(api):
    document = api.get("/api/v1/openapi.json").json
    operation = document["paths"]["/datasets/{dataset_id}/export"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-ndjson",
    }
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"format", "after_id", "label", "q", "start", "end", "language"} <= names
    reference = api.client.get("/api/v1/reference").get_data(as_text=True)
    assert (
        "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or "
        "application/x-ndjson"
    ) in reference
