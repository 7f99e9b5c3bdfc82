"""Session checks: signed in or not, cookies carried to another client, session records counted."""

from flask.testing import FlaskClient
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import UserSession

NEW_PASSWORD = "copper kettle sings 42"


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def copy_cookies(source: FlaskClient, target: FlaskClient, *names: str) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        target.set_cookie(name, cookie.value)


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UserSession))
