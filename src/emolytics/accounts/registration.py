"""Creating accounts and finding them by username."""

import re

from sqlalchemy import func, select

from emolytics import passwords
from emolytics.accounts import attempts, teams
from emolytics.accounts.errors import PasswordPolicyError, UsernameError
from emolytics.extensions import db
from emolytics.tables import User

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{3,40}")
USERNAME_RULE = "3-40 characters: letters, digits, '.', '_' or '-'."


def check_username(username: str) -> str:
    """The username as stored, or UsernameError."""
    if not USERNAME_PATTERN.fullmatch(username):
        raise UsernameError(f"Usernames are {USERNAME_RULE}")
    return username


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def register(
    username: str, password: str, *, ip: str | None = None, user_agent: str | None = None
) -> User:
    """Create an active user with their personal team; raises UsernameError or PasswordPolicyError.

    From the web (`ip` given) registering also signs in, and is recorded as such.
    """
    user = create_user(username, password)
    db.session.commit()
    if ip is not None:  # committed at sign-in
        attempts.record_attempt(username, user, ip, user_agent, success=True)
    return user


def create_user(username: str, password: str) -> User:
    """A new user with their personal team, flushed but not committed (the caller commits,
    with whatever else the account comes with); UsernameError or PasswordPolicyError."""
    check_username(username)
    problem = passwords.policy_problem(password, username)
    if problem:
        raise PasswordPolicyError(problem)
    if find_user(username) is not None:
        raise UsernameError("That username is taken.")
    user = User(username=username, password_hash=passwords.hash_password(password))
    db.session.add(user)
    db.session.flush()
    teams.add_personal_team(user)
    return user
