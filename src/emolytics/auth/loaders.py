"""How Flask-Login finds the current user: from the session, or from an API request."""

from flask import Flask, g, request
from flask_login import login_user, user_loaded_from_cookie

from emolytics import accounts
from emolytics.extensions import login_manager
from emolytics.models import User

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
login_manager.refresh_view = "auth.reauthenticate"
login_manager.needs_refresh_message = "Please enter your password again to continue."
login_manager.needs_refresh_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The id the session (or the remember cookie) holds -> the active user of a live session."""
    return accounts.load_session_user(session_id)


@login_manager.request_loader
def load_user_from_request(request_: object) -> User | None:
    """API calls: `Authorization: Bearer <token>` -> the user of a usable token, else None."""
    if not request.path.startswith("/api/"):
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    g.bearer_token_given = True
    return accounts.user_for_token(secret.strip())


@user_loaded_from_cookie.connect
def keep_restored_session(app: Flask, user: User) -> None:
    """Sign a session restored from the remember cookie in again, not fresh.

    Flask-Login restores it without the identifier that strong session protection checks, so
    the next request would end it (flask-login issue #685); `login_user(fresh=False)` stores
    the identifier, and sensitive pages still ask for the password first.
    """
    login_user(user, remember=True, fresh=False)
