"""A new password: chosen by the user, or set by an administrator (CLI). Either ends the other
sessions, since a changed password usually means the old one may be known."""

import secrets

from emolytics import caching, passwords
from emolytics.accounts.errors import PasswordPolicyError, WrongPassword
from emolytics.accounts.sessions import end_other_sessions
from emolytics.extensions import db
from emolytics.tables import User


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; every other session and remember cookie of `user` ends.

    The current session survives with a new id (the caller signs it in again).
    """
    if not user.check_password(current_password):
        raise WrongPassword("Your current password is not correct.")
    _replace_password(user, new_password)
    end_other_sessions(user, keep=user.current_session)


def set_password(user: User, new_password: str) -> None:
    """Administrative reset (CLI): no current password; every session ends."""
    _replace_password(user, new_password)
    end_other_sessions(user, keep=None)


def _replace_password(user: User, new_password: str) -> None:
    """Store `new_password` (PasswordPolicyError if weak) under a new user id, so that no
    cookie of the old one signs in again."""
    problem = passwords.policy_problem(new_password, user.username)
    if problem:
        raise PasswordPolicyError(problem)
    user.password_hash = passwords.hash_password(new_password)
    caching.changed_after_commit(db.session, [user.alt_id])
    user.alt_id = secrets.token_urlsafe(16)
