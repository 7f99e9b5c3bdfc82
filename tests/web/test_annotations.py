"""Annotations: what happened when, noted and deleted on the dataset's page and through the API,
in the summary for the timeline, each a link comparing the days after it with the days before."""

from datetime import datetime
from html import unescape
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import annotations
from emolytics.tables import Annotation
from tests.conftest import AuthActions, join_team, team_of
from tests.web.api_calls import call, error_code, upload
from tests.web.audit_rows import events


def _page(auth, dataset_id, query=""):
    response = auth.client.get(f"/datasets/{dataset_id}?{query}")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _note(auth, dataset_id, note="New timetable", day="2026-03-02", time="06:30", query=""):
    form = {"day": day, "time": time, "note": note}
    return auth.post(f"/datasets/{dataset_id}/annotations?{query}", form, token_from="/dashboard")


def _stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Annotation))


def test_an_annotation_is_noted_listed_and_compared(app, auth, dataset_id):
    page = _page(auth, dataset_id)
    assert "Note what happened when" in page and "Add to the timeline" in page

    response = _note(auth, dataset_id, query="keyword=tram")
    assert response.status_code == 302
    assert response.location == f"/datasets/{dataset_id}?keyword=tram"
    page = _page(auth, dataset_id)
    assert "Noted “New timetable” on the timeline." in page
    assert "<strong>2026-03-02 06:30 UTC</strong>: New timetable" in page
    # from its hour, the 7 days after: the dashboard compares them with the 7 before
    compare = f"/datasets/{dataset_id}?start=2026-03-02T06:00&end=2026-03-09T05:00"
    assert f'<a href="{compare}">Compare the 7 days after with the 7 before</a>' in page
    [noted] = events(app, "annotation.added")
    assert "2026-03-02 06:30 UTC: 'New timetable'" in noted["target"]

    summary = auth.client.get(f"/datasets/{dataset_id}/summary.json").json
    [marked] = summary["annotations"]
    assert (marked["at"], marked["note"]) == ("2026-03-02T06:30:00Z", "New timetable")
    compared = auth.client.get(f"{compare.replace('?', '/summary.json?')}").json["comparison"]
    assert (compared["start"], compared["previous_start"]) == (
        "2026-03-02T06:00",
        "2026-02-23T06:00",
    )
    # the uploaded texts: 2 March 09:30 to 5 March after it, 1 March 08:00 before it
    assert (compared["analysed"], compared["previous_analysed"]) == (4, 1)


def test_the_report_workbook_lists_the_annotations(auth, dataset_id):
    _note(auth, dataset_id, "Strike", time="")
    _note(auth, dataset_id, "Fare rise", day="2026-03-01", time="17:05")
    response = auth.client.get(f"/datasets/{dataset_id}/report.xlsx")
    sheet = load_workbook(BytesIO(response.data), read_only=True)["Annotations"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("at (UTC)", "note"),
        (datetime(2026, 3, 1, 17, 5), "Fare rise"),
        (datetime(2026, 3, 2), "Strike"),
    ]


def test_a_date_alone_notes_its_midnight(auth, dataset_id):
    _note(auth, dataset_id, "Strike", time="")
    page = _page(auth, dataset_id)
    assert "<strong>2026-03-02 00:00 UTC</strong>: Strike" in page
    assert f"/datasets/{dataset_id}?start=2026-03-02&end=2026-03-08" in page


def test_refusals_say_why_and_note_nothing(app, auth, dataset_id, monkeypatch):
    for note, day, time, reason in [
        ("   ", "2026-03-02", "", "Write what happened (a few words)."),
        ("Launch", "", "", "Choose the date it happened."),
        ("Launch", "2026-02-30", "", "Not a valid date value."),
        ("Launch", "2026-03-02", "25:00", "Not a valid time value."),
        ("x" * 201, "2026-03-02", "", "Field cannot be longer than 200 characters."),
    ]:
        assert _note(auth, dataset_id, note, day, time).status_code == 302
        assert f"Nothing was noted: {reason}" in _page(auth, dataset_id), note
    assert _note(auth, dataset_id, "Null\x00byte").status_code == 400  # refused for every form
    monkeypatch.setattr(annotations, "MAX_ANNOTATIONS", 1)
    _note(auth, dataset_id, "First")
    _note(auth, dataset_id, "Second")
    assert "A dataset keeps 1 annotations at most: delete one first." in _page(auth, dataset_id)
    assert _stored(app) == 1


def test_deleting_an_annotation_asks_first(app, auth, dataset_id):
    _note(auth, dataset_id)
    with app.app_context():
        annotation_id = db.session.scalar(select(Annotation.id))
    url = f"/datasets/{dataset_id}/annotations/{annotation_id}/delete"
    assert "Delete the annotation “New timetable”?" in unescape(
        auth.client.get(url).get_data(as_text=True)
    )
    assert auth.client.post(url, data={}).status_code == 400 and _stored(app) == 1
    response = auth.post(url, {}, token_from=url)
    assert response.status_code == 302 and _stored(app) == 0
    assert "Deleted the annotation “New timetable”." in _page(auth, dataset_id)
    assert len(events(app, "annotation.deleted")) == 1
    assert auth.client.get(url).status_code == 404


def test_a_viewer_reads_the_annotations_but_notes_none(app, auth, dataset_id):
    _note(auth, dataset_id)
    viewer = AuthActions(app.test_client())
    viewer.register("vera", "violet harbour 1987")
    with app.app_context():
        join_team(team_of("ada"), "vera", "viewer")
        team_id = team_of("ada")
    page = unescape(
        viewer.client.get(f"/datasets/{dataset_id}?team={team_id}").get_data(as_text=True)
    )
    assert "New timetable" in page and "noted by ada" in page
    assert "Add to the timeline" not in page and "Delete…" not in page


def test_the_api_lists_adds_and_deletes_annotations(app, api):
    dataset = upload(api).json
    base = f"/api/v1/datasets/{dataset['id']}/annotations"
    body = {"at": "2026-03-02T08:45:30+02:00", "note": " Fare rise "}
    created = call(api, "POST", base, json=body)
    assert created.status_code == 201 and created.headers["Location"] == base
    annotation = created.json
    assert annotation["at"] == "2026-03-02T06:45:00+00:00" and annotation["note"] == "Fare rise"
    assert annotation["noted_by"] == "ada"
    assert annotation["days_after"] == {"start": "2026-03-02T06:00", "end": "2026-03-09T05:00"}
    assert call(api, "GET", base).json == {"annotations": [annotation]}
    summary = call(api, "GET", f"/api/v1/datasets/{dataset['id']}/summary").json
    assert summary["annotations"] == [
        {"id": annotation["id"], "at": "2026-03-02T06:45:00Z", "note": "Fare rise"}
    ]

    for wrong, code in [
        ({"at": "yesterday", "note": "x"}, "invalid_at"),
        ({"at": 1767225600, "note": "x"}, "invalid_at"),
        ({"at": "2026-03-02", "note": ""}, "invalid_note"),
        ({"at": "2026-03-02", "note": "x" * 201}, "invalid_note"),
        ({"at": "2026-03-02", "note": "a\x00b"}, "invalid_note"),
        ({"at": "2026-03-02", "note": "x", "colour": "red"}, "unknown_field"),
    ]:
        response = call(api, "POST", base, json=wrong)
        assert response.status_code == 400 and error_code(response) == code, wrong
    assert _stored(app) == 1

    other = upload(api).json
    elsewhere = f"/api/v1/datasets/{other['id']}/annotations/{annotation['id']}"
    assert call(api, "DELETE", elsewhere).status_code == 404
    assert call(api, "DELETE", f"{base}/{annotation['id']}").status_code == 204
    assert call(api, "DELETE", f"{base}/{annotation['id']}").status_code == 404
    assert call(api, "GET", base).json == {"annotations": []}


def test_another_teams_annotations_are_404_and_go_with_their_dataset(app, auth, dataset_id):
    _note(auth, dataset_id)
    with app.app_context():
        annotation_id = db.session.scalar(select(Annotation.id))
    mallory = AuthActions(app.test_client())
    mallory.register("mallory", "violet harbour 1987")
    for method, url in [
        ("get", f"/datasets/{dataset_id}/annotations/{annotation_id}/delete"),
        ("post", f"/datasets/{dataset_id}/annotations/{annotation_id}/delete"),
        ("post", f"/datasets/{dataset_id}/annotations"),
    ]:
        if method == "get":
            response = mallory.client.get(url)
        else:
            form = {"day": "2026-03-02", "note": "Mine"}
            response = mallory.post(url, form, token_from="/dashboard")
        assert response.status_code == 404, url
    assert _stored(app) == 1
    response = auth.post(
        f"/datasets/{dataset_id}/delete", {"confirm_name": "Reviews"}, token_from="/dashboard"
    )
    assert response.status_code == 302 and _stored(app) == 0
