"""Steps of the second factor tests: enrolling an authenticator app, codes, the second step."""

import re

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import UserSession
from tests.conftest import AuthActions
from tests.totp_clock import TOTP_T0, TotpClock

T0 = TOTP_T0
SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
CODE = re.compile(r"<li><code>([a-z2-9-]{19})</code></li>")


def code_at(secret: str, moment: float) -> str:
    return pyotp.TOTP(secret).at(moment)


def enrol(client: FlaskClient, auth: AuthActions, clock: TotpClock) -> tuple[str, list[str]]:
    """Sign in, set up the app with the code of now; (secret, recovery codes); signed out."""
    auth.login()
    assert auth.post("/account/second-factor/app", {}, "/account/second-factor").status_code == 302
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = SECRET.search(page).group(1).replace(" ", "")
    assert "data:image/svg+xml" in page  # the QR code, drawn locally
    response = auth.post(
        "/account/second-factor/app/confirm",
        {"code": code_at(secret, clock.now)},
        "/account/second-factor",
    )
    assert response.status_code == 200
    codes = CODE.findall(response.get_data(as_text=True))
    auth.logout()
    return secret, codes


def second_step(auth: AuthActions, code: str, next_url: str | None = None):
    url = "/login/second-factor" + (f"?next={next_url}" if next_url else "")
    return auth.post(url, {"code": code}, "/login/second-factor")


def signed_in(client: FlaskClient) -> bool:
    return client.get("/dashboard").status_code == 200


def session_rows(app) -> list[UserSession]:
    with app.app_context():
        return list(db.session.scalars(select(UserSession)))
