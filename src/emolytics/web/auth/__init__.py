"""Sign-in, registration and sign-out: the Flask-Login design."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from emolytics.web.auth import passkey_sign_in, second_step, views  # noqa: E402,F401  (routes register on import)
