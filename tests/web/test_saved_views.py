"""Saved views: the dashboard's filters under a name, saved and deleted on the page and through
the API, listed for the whole team, refused clearly, and gone with their dataset."""

from html import unescape

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import saved_views
from emolytics.tables import SavedView
from tests.conftest import AuthActions, join_team, team_of
from tests.web.api_calls import call, error_code, upload
from tests.web.audit_rows import events

FILTERS = "label=anger&start=2026-03-01&end=2026-03-31"


def _page(auth, dataset_id, query=""):
    response = auth.client.get(f"/datasets/{dataset_id}?{query}")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _save(auth, dataset_id, name, query=FILTERS):
    return auth.post(
        f"/datasets/{dataset_id}/views?{query}", {"name": name}, token_from="/dashboard"
    )


def _stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SavedView))


def test_a_view_is_saved_from_the_dashboard_and_opens_with_its_filters(app, auth, dataset_id):
    assert "Saved views" not in _page(auth, dataset_id)  # nothing saved, nothing to save
    assert 'name="name" placeholder="e.g. Anger about delays' in _page(auth, dataset_id, FILTERS)

    response = _save(auth, dataset_id, "  Anger in March ")
    assert response.status_code == 302
    assert response.location == f"/datasets/{dataset_id}?{FILTERS}"
    page = _page(auth, dataset_id, FILTERS)
    assert "Saved the view “Anger in March”" in page
    link = f'href="/datasets/{dataset_id}?{FILTERS}" aria-current="page"'
    assert f"{link}>Anger in March</a>" in page
    assert "label=anger, start=2026-03-01, end=2026-03-31 · saved by ada" in page
    [saved] = events(app, "view.saved")
    assert "'Anger in March'" in saved["target"] and saved["actor_name"] == "ada"
    # the unfiltered dashboard lists it too, not as the current view, with no form to save
    page = _page(auth, dataset_id)
    assert ">Anger in March</a>" in page and 'aria-current="page"' not in page
    assert "Save this view as" not in page


def test_refusals_say_why_and_store_nothing(app, auth, dataset_id):
    assert _save(auth, dataset_id, "Anger").status_code == 302
    for name, query, reason in [
        ("anger", FILTERS, "A view named 'anger' is saved already: choose another name."),
        ("Everything", "", "Choose at least one filter: the whole dashboard needs no name."),
        ("   ", FILTERS, "Give the view a name."),
        ("x" * 121, FILTERS, "Field cannot be longer than 120 characters."),
    ]:
        response = _save(auth, dataset_id, name, query)
        assert response.status_code == 302
        page = _page(auth, dataset_id, query)
        assert f"The view was not saved: {reason}" in page, name
    assert _stored(app) == 1
    assert auth.client.post(f"/datasets/{dataset_id}/views?label=bliss").status_code == 400


def test_deleting_a_view_asks_first(app, auth, dataset_id):
    _save(auth, dataset_id, "Anger")
    with app.app_context():
        view_id = db.session.scalar(select(SavedView.id))
    url = f"/datasets/{dataset_id}/views/{view_id}/delete"
    question = unescape(auth.client.get(url).get_data(as_text=True))
    assert "Delete the saved view “Anger”?" in question
    assert auth.client.post(url, data={}).status_code == 400  # no token: asked again
    assert _stored(app) == 1
    response = auth.post(url, {}, token_from=url)
    assert response.status_code == 302 and response.location == f"/datasets/{dataset_id}"
    assert "Deleted the view “Anger”." in _page(auth, dataset_id)
    assert _stored(app) == 0
    assert len(events(app, "view.deleted")) == 1
    assert auth.client.get(url).status_code == 404


def test_a_viewer_opens_the_teams_views_but_saves_none(app, auth, dataset_id):
    _save(auth, dataset_id, "Anger")
    viewer = AuthActions(app.test_client())
    viewer.register("vera", "violet harbour 1987")
    with app.app_context():
        join_team(team_of("ada"), "vera", "viewer")
    page = unescape(
        viewer.client.get(f"/datasets/{dataset_id}?{FILTERS}&team={_team(app)}").get_data(
            as_text=True
        )
    )
    assert ">Anger</a>" in page and "· saved by ada" in page
    assert "Save this view as" not in page and "Delete…" not in page


def _team(app):
    with app.app_context():
        return team_of("ada")


def test_the_api_lists_saves_and_deletes_views(app, api):
    dataset = upload(api).json
    base = f"/api/v1/datasets/{dataset['id']}/views"
    created = call(api, "POST", f"{base}?label=joy&keyword=tram", json={"name": "Happy riders"})
    assert created.status_code == 201 and created.headers["Location"] == base
    view = created.json
    assert view["name"] == "Happy riders" and view["saved_by"] == "ada"
    assert view["filters"] == {"label": "joy", "keyword": "tram"}
    assert call(api, "GET", base).json == {"views": [view]}

    refused = call(api, "POST", f"{base}?label=anger", json={"name": "HAPPY riders"})
    assert refused.status_code == 422 and error_code(refused) == "view_refused"
    assert error_code(call(api, "POST", base, json={"name": "All"})) == "view_refused"
    bad_label = call(api, "POST", f"{base}?label=bliss", json={"name": "Bliss"})
    assert bad_label.status_code == 400 and error_code(bad_label) == "unknown_label"
    assert error_code(call(api, "POST", f"{base}?label=joy", json={"name": ""})) == "invalid_name"
    assert _stored(app) == 1

    other = upload(api).json
    elsewhere = f"/api/v1/datasets/{other['id']}/views/{view['id']}"
    assert call(api, "DELETE", elsewhere).status_code == 404  # a view of another dataset
    assert call(api, "DELETE", f"{base}/{view['id']}").status_code == 204
    assert call(api, "DELETE", f"{base}/{view['id']}").status_code == 404
    assert call(api, "GET", base).json == {"views": []}


def test_another_teams_views_are_404(app, api, dataset_id, auth):
    _save(auth, dataset_id, "Anger")
    with app.app_context():
        view_id = db.session.scalar(select(SavedView.id))
    mallory = AuthActions(app.test_client())
    mallory.register("mallory", "violet harbour 1987")
    for method, url in [
        ("get", f"/datasets/{dataset_id}/views/{view_id}/delete"),
        ("post", f"/datasets/{dataset_id}/views/{view_id}/delete"),
        ("post", f"/datasets/{dataset_id}/views?label=anger"),
    ]:
        if method == "get":
            response = mallory.client.get(url)
        else:
            response = mallory.post(url, {"name": "Mine"}, token_from="/dashboard")
        assert response.status_code == 404, url
    assert _stored(app) == 1


def test_a_view_goes_with_its_dataset(app, auth, dataset_id):
    _save(auth, dataset_id, "Anger")
    response = auth.post(
        f"/datasets/{dataset_id}/delete", {"confirm_name": "Reviews"}, token_from="/dashboard"
    )
    assert response.status_code == 302
    assert _stored(app) == 0


def test_a_dataset_keeps_a_bounded_number_of_views(app, auth, dataset_id, monkeypatch):
    monkeypatch.setattr(saved_views, "MAX_VIEWS", 2)
    for number in range(2):
        _save(auth, dataset_id, f"View {number}", f"label=anger&start=2026-03-0{number + 1}")
    _save(auth, dataset_id, "One more")
    assert "A dataset keeps 2 views at most: delete one first." in _page(auth, dataset_id)
    assert _stored(app) == 2
