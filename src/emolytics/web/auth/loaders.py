"""How Flask-Login finds the current user: from the session, or from an API request.

Nothing is set on import: `init_app`, called by the factory, configures the login manager.
"""

from flask import Flask, g, request, session
from flask_login import login_user, user_loaded_from_cookie
from flask_login.config import SESSION_KEYS

from emolytics import current_team
from emolytics.accounts import errors, sessions, tokens
from emolytics.extensions import login_manager
from emolytics.tables import User


def init_app(app: Flask) -> None:
    """Bind the login manager to `app`, with its messages and loaders."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.needs_refresh_message = "Please enter your password again to continue."
    login_manager.needs_refresh_message_category = "info"
    # Flask-Login's "strong" protection hashes the IP address with the User-Agent and so signs
    # a phone out when it changes networks; the server-side session is bound to its browser
    # instead (`sessions.load_session_user`), which also holds for a session restored from the
    # cookie.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_request)
    user_loaded_from_cookie.connect(keep_restored_session, sender=app)


def load_user(session_id: str) -> User | None:
    """The id the session (or the remember cookie) holds -> the active user of a live session."""
    try:
        return sessions.load_session_user(
            session_id, ip=request.remote_addr, user_agent=request.user_agent.string
        )
    except errors.ForeignBrowser:
        _forget_sign_in()
        return None


def _forget_sign_in() -> None:
    """What strong protection did for a session from another browser: the session cookie
    forgets the sign-in and the remember cookie is deleted with the response."""
    for key in SESSION_KEYS:
        session.pop(key, None)
    session["_remember"] = "clear"


def load_user_from_request(request_: object) -> User | None:
    """API calls: `Authorization: Bearer <token>` -> the user of a usable token, else None;
    the request works in the token's team, with its scope."""
    if not request.path.startswith("/api/"):
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    g.bearer_token_given = True
    found = tokens.bearer(secret.strip())
    if found is None:
        return None
    current_team.adopt(found.seat, found.scope)
    return found.user


def keep_restored_session(app: Flask, user: User) -> None:
    """Sign a session restored from the remember cookie in again, not fresh.

    This issues the remember cookie anew, so it lasts as long as the server-side session
    (REMEMBER_TIMEOUT after its last use); sensitive pages still ask for the password first.
    """
    login_user(user, remember=True, fresh=False)
