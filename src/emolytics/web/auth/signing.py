"""Signing a browser in: the server-side session handed to Flask-Login, and the half-way
state between a correct password and the second factor.

A user with a second factor is not signed in by the password: the session cookie holds only a
*pending* marker (who, since when, remember or not) that the second step turns into a sign-in
within PENDING_SECONDS. No `login_user`, no session row and no remember cookie before that.
"""

import time
from typing import Any

from flask import current_app, request, session
from flask_login import login_user

from emolytics.accounts import second_factor, sessions
from emolytics.tables import User

PENDING = "second_factor_pending"


def sign_in(user: User, *, remember: bool, passed_second_factor: bool = False) -> None:
    """Start a new server-side session for `user` and hand it to Flask-Login."""
    session.clear()  # nothing of the anonymous session carries over (no fixation)
    sessions.start_session(
        user,
        remember=remember,
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
        second_factor=passed_second_factor,
    )
    login_user(user, remember=remember, duration=sessions.REMEMBER_TIMEOUT)


def await_second_factor(user: User, *, remember: bool) -> None:
    """The password was right: remember who is signing in until the second step passes."""
    session.clear()
    session[PENDING] = {
        "user_id": user.id,
        "alt_id": user.alt_id,
        "at": time.time(),
        "remember": remember,
    }


def pending() -> tuple[User, bool] | None:
    """(user, remember) of the sign-in waiting for its second step; None when there is none,
    it expired, or the user's password changed (or the account was turned off) meanwhile."""
    marker: Any = session.get(PENDING)
    if not isinstance(marker, dict):
        return None
    age = time.time() - float(marker.get("at", 0))
    if not 0 <= age <= current_app.config["SECOND_FACTOR_PENDING_SECONDS"]:
        session.pop(PENDING, None)
        return None
    user = second_factor.pending_user(int(marker["user_id"]), str(marker["alt_id"]))
    if user is None:
        session.pop(PENDING, None)
        return None
    return user, bool(marker.get("remember"))


def pending_key() -> str:
    """Rate-limit key of the second step: the user it is for."""
    marker: Any = session.get(PENDING)
    return f"second-factor:{marker.get('user_id') if isinstance(marker, dict) else ''}"
