"""Datasets of other users are 404 on every page, and so are ids too large to exist."""

from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import Job
from tests.conftest import AuthActions
from tests.web.uploads import counts

OTHER_USERS_URLS = [
    ("get", "/datasets/{id}"),
    ("get", "/datasets/{id}/summary.json"),
    ("get", "/datasets/{id}/texts"),
    ("get", "/datasets/{id}/texts/1"),
    ("get", "/datasets/{id}/texts/1.json"),
    ("get", "/datasets/{id}/export.csv"),
    ("get", "/datasets/{id}/export.jsonl"),
    ("get", "/datasets/{id}/export.xlsx"),
    ("get", "/datasets/{id}/report.xlsx"),
    ("get", "/datasets/{id}/delete"),
    ("post", "/datasets/{id}/delete"),
    ("post", "/datasets/{id}/keywords"),
    ("post", "/datasets/{id}/name"),
    ("post", "/datasets/{id}/analyze"),
    ("get", "/jobs/{job}.json"),
    ("post", "/jobs/{job}/cancel"),
]


def test_huge_ids_are_404_not_500(client, dataset_id):
    for url in (
        "/datasets/99999999999999999999",
        "/jobs/99999999999999999999.json",
        "/models/99999999999999999999",
        f"/datasets/{dataset_id}/texts/2{'0' * 25}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/datasets/{dataset_id}/summary.json?end=9999-12-31").status_code == 400


def test_another_users_dataset_is_404_everywhere(app, client, dataset_id):
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    intruder = AuthActions(app.test_client())
    intruder.register("mallory", "violet harbour 1987")
    for method, template in OTHER_USERS_URLS:
        url = template.format(id=dataset_id, job=job_id)
        if method == "get":
            response = intruder.client.get(url)
        else:
            form = {"keywords": "x", "model": "", "confirm_name": "Reviews"}
            response = intruder.post(url, form, token_from="/dashboard")
        assert response.status_code == 404, url
        assert "Reviews" not in response.get_data(as_text=True)
    assert "Reviews" not in intruder.client.get("/dashboard").get_data(as_text=True)
    assert counts(app) == (1, 6, 6)
