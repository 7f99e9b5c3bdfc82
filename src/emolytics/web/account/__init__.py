"""The signed-in user's own account: password, API tokens, activity and sessions."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from emolytics.web.account import email, passkeys, second_factor, views  # noqa: E402,F401  (routes register on import)
