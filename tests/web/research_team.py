"""Helpers of the teams tests: a member's signed-in client, a team's dataset, a bearer header."""

from io import BytesIO

from flask import Flask
from flask.testing import FlaskClient

from emolytics.pipeline import intake
from emolytics.pipeline.datasets import Upload
from tests.conftest import AuthActions


def _client_of(app: Flask, username: str) -> tuple[FlaskClient, AuthActions]:
    client = app.test_client()
    auth = AuthActions(client)
    assert auth.login(username).status_code == 302
    return client, auth


def _dataset(team_id: int, name: str, texts: int = 2) -> int:
    content = "text\n" + "".join(f"tram text {index}\n" for index in range(texts))
    upload = Upload(name=name, source="upload")
    return intake.import_and_analyse(team_id, upload, BytesIO(content.encode()), "t.csv").id


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
