"""Corrections and who may: other teams' texts are not found, a viewer sees but cannot change."""

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.tables import Correction
from tests.conftest import PASSWORD, AuthActions, csrf_token, join_team, team_of
from tests.web.api_calls import call
from tests.web.correction_steps import _correct_on_page, _rows_count, _text, _upload


def test_other_teams_and_other_datasets_texts_are_not_found(app, client, auth, api):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    other_id = _upload(auth, signed_in=True)  # ada's too: its texts are not the first one's
    other_text, _ = _text(app, other_id, "I love the new tram 0")
    crossed = f"/api/v1/datasets/{dataset_id}/texts/{other_text}/label"
    assert call(api, "PUT", crossed, json={"label": "anger"}).status_code == 404
    assert _correct_on_page(auth, other_id, text_id, "anger").status_code == 404
    with app.app_context():
        registration.register("mallory", PASSWORD)
    stranger = AuthActions(app.test_client())
    stranger.login("mallory")
    stranger_token = csrf_token(stranger.client, "/account/tokens")
    for url in (
        f"/datasets/{dataset_id}/texts/{text_id}/label",
        f"/datasets/{dataset_id}/texts/{text_id}/label/remove",
    ):
        response = stranger.client.post(url, data={"label": "anger", "csrf_token": stranger_token})
        assert response.status_code == 404
    assert _rows_count(app, Correction) == 0


def test_a_viewer_sees_corrections_but_cannot_change_them(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    with app.app_context():
        registration.register("victor", PASSWORD)
        join_team(team_of("ada"), "victor", "viewer")
    viewer = AuthActions(app.test_client())
    viewer.login("victor")
    query = {"team": str(_team(app))}
    page = viewer.client.get(f"/datasets/{dataset_id}/texts/{text_id}", query_string=query)
    assert 'data-role="correction">Corrected by ada' in page.get_data(as_text=True)
    assert 'data-role="correct"' not in page.get_data(as_text=True)
    table = viewer.client.get(f"/datasets/{dataset_id}/texts", query_string=query)
    assert 'data-role="correct"' not in table.get_data(as_text=True)
    token = csrf_token(viewer.client, "/account/tokens")
    refused = viewer.client.post(
        f"/datasets/{dataset_id}/texts/{text_id}/label",
        data={"label": "joy", "csrf_token": token},
        query_string=query,
    )
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.get(Correction, (dataset_id, text_id)).label == "anger"


def _team(app) -> int:
    with app.app_context():
        return team_of("ada")
