"""Destructive actions ask first: a dataset or a model is deleted only with its name typed,
a token is revoked and a session ended only from a confirmation page; the API's DELETE needs
no confirmation and its reference says so."""

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import ApiToken, EmotionModel, UserSession
from tests.conftest import PASSWORD, AuthActions
from tests.web.model_steps import train
from tests.web.session_checks import signed_in
from tests.web.uploads import REVIEWS, counts, upload

NOT_CONFIRMED = "Nothing was deleted: type the name exactly as shown above to confirm."


@pytest.fixture
def dataset_url(auth) -> str:
    auth.login()
    response = upload(auth, REVIEWS)  # named "Reviews", 6 texts
    assert response.status_code == 302
    return response.location


def test_the_dataset_page_links_to_a_confirmation_instead_of_deleting(client, dataset_url):
    page = client.get(dataset_url).get_data(as_text=True)
    assert f'href="{dataset_url}/delete"' in page
    assert f'action="{dataset_url}/delete"' not in page  # no one-click form
    confirmation = client.get(f"{dataset_url}/delete")
    assert confirmation.status_code == 200
    text = confirmation.get_data(as_text=True)
    assert "Delete the dataset &#39;Reviews&#39;?" in text
    assert "Its 6 texts, their results and its analyses are deleted with it." in text
    assert 'name="confirm_name"' in text


@pytest.mark.parametrize(
    "form",
    [{}, {"confirm_name": ""}, {"confirm_name": "reviews"}, {"confirm_name": "Review"}],
    ids=["no field", "empty", "other case", "part"],
)
def test_a_dataset_is_not_deleted_without_its_exact_name(app, auth, dataset_url, form):
    response = auth.post(f"{dataset_url}/delete", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NOT_CONFIRMED in page
    assert "Delete the dataset &#39;Reviews&#39;?" in page  # the form again
    assert counts(app) == (1, 6, 6)  # the dataset, its texts and results are all there


def test_a_dataset_is_deleted_with_its_name_typed(app, client, auth, dataset_url):
    response = auth.post(f"{dataset_url}/delete", {"confirm_name": " Reviews "})
    assert response.location == "/dashboard"
    assert "Deleted the dataset &#39;Reviews&#39;" in client.get("/dashboard").get_data(
        as_text=True
    )
    assert counts(app) == (0, 0, 0)


def test_forms_and_confirmations_work_with_csrf_protection_turned_off(app, app_factory):
    """WTF_CSRF_ENABLED = False (a deployment's own choice) leaves forms without a token
    field; every page still renders and the name typed still deletes."""
    unprotected = app_factory(WTF_CSRF_ENABLED=False)
    client = unprotected.test_client()
    signed = client.post("/login", data={"username": "ada", "password": PASSWORD})
    assert signed.status_code == 302
    dataset_url = upload(AuthActions(client), REVIEWS).location
    for url in ("/logout", "/datasets/new", f"{dataset_url}/delete", "/account/tokens"):
        assert client.get(url).status_code == 200, url
    refused = client.post(f"{dataset_url}/delete", data={"confirm_name": "reviews"})
    assert refused.status_code == 400
    assert NOT_CONFIRMED in refused.get_data(as_text=True)
    deleted = client.post(f"{dataset_url}/delete", data={"confirm_name": "Reviews"})
    assert deleted.location == "/dashboard"
    assert counts(app) == (0, 0, 0)


def model_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EmotionModel))


def test_a_model_is_deleted_only_with_its_name_typed(app, client, auth):
    auth.login()
    model_url = train(auth).location  # named "Tickets"
    assert f'href="{model_url}/delete"' in client.get(model_url).get_data(as_text=True)
    asked = client.get(f"{model_url}/delete").get_data(as_text=True)
    assert "Delete the model &#39;Tickets&#39;?" in asked
    for form in ({}, {"confirm_name": "tickets"}):
        refused = auth.post(f"{model_url}/delete", form)
        assert refused.status_code == 400
        assert NOT_CONFIRMED in refused.get_data(as_text=True)
        assert model_count(app) == 1
    deleted = auth.post(f"{model_url}/delete", {"confirm_name": "Tickets"})
    assert deleted.location == "/models"
    assert model_count(app) == 0


def test_revoking_a_token_asks_once(app, client, auth, api):
    auth.login()
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    url = f"/account/tokens/{token_id}/revoke"
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert f'href="{url}"' in listing and f'action="{url}"' not in listing
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Revoke the token &#39;tests&#39;" in asked.get_data(as_text=True)
    assert api.get("/api/v1/me").status_code == 200  # asking revoked nothing
    assert auth.post(url, {}).location == "/account/tokens"
    assert api.get("/api/v1/me").status_code == 401
    assert client.get(url).status_code == 404  # nothing left to revoke


def test_ending_another_session_asks_once(app, client, auth):
    auth.login()
    phone = app.test_client()
    AuthActions(phone).login()
    with app.app_context():
        phone_session = db.session.scalar(select(func.max(UserSession.id)))
    url = f"/account/sessions/{phone_session}/revoke"
    activity = client.get("/account/activity").get_data(as_text=True)
    assert f'href="{url}"' in activity and f'action="{url}"' not in activity
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Sign out this session?" in asked.get_data(as_text=True)
    assert signed_in(phone)  # asking ended nothing
    assert auth.post(url, {}).location == "/account/activity"
    assert not signed_in(phone)
    assert signed_in(client)


def test_signing_out_everywhere_else_asks_once(app, client, auth):
    auth.login()
    phone = app.test_client()
    AuthActions(phone).login()
    url = "/account/sessions/revoke-others"
    assert f'href="{url}"' in client.get("/account/activity").get_data(as_text=True)
    assert "Sign out everywhere else?" in client.get(url).get_data(as_text=True)
    assert signed_in(phone)
    auth.post(url, {})
    assert not signed_in(phone)
    assert signed_in(client)


def test_asking_about_the_current_session_leads_to_the_sign_out_page(app, client, auth):
    auth.login()
    with app.app_context():
        current = db.session.scalar(select(UserSession.id))
    assert client.get(f"/account/sessions/{current}/revoke").location == "/logout"
    assert signed_in(client)


def test_the_api_reference_says_its_delete_needs_no_confirmation(client):
    """The API's DELETE itself answers 204 at once (tests/web/test_api_datasets.py and
    test_api_jobs_and_models.py)."""
    document = client.get("/api/v1/openapi.json").json
    for path in ("/datasets/{dataset_id}", "/models/{model_id}"):
        assert "no confirmation step" in document["paths"][path]["delete"]["description"]
    reference = client.get("/api/v1/reference").get_data(as_text=True)
    assert reference.count("Deletes at once, with no confirmation step") == 2
