"""Sign-in, registration and sign-out: the Flask-Login design."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from emolytics.auth import loaders, views  # noqa: E402,F401  (routes and loaders register on import)
