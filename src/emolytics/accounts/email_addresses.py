"""A user's email address: where alert emails and digests go, once confirmed.

Setting or changing it leaves it unconfirmed until the user opens the link sent there: a
token signed with SECRET_KEY that names the user and the address and expires after
CONFIRM_MAX_AGE. A link for an address the account no longer has confirms nothing, so a link
works for its address only (and confirming twice changes nothing).
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from emolytics import caching, mail
from emolytics.accounts.invitations import check_email
from emolytics.extensions import db
from emolytics.tables import User, utcnow

CONFIRM_MAX_AGE = timedelta(days=2)
SALT = "emolytics email confirmation"


class NotConfirmed(ValueError):
    """A confirmation link that confirms nothing; the message says why."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _changed(user: User) -> None:
    """Commit, and no process keeps the user's old values in its cache."""
    caching.changed_after_commit(db.session, [user.alt_id])
    db.session.commit()


def set_address(user: User, address: str) -> bool:
    """Make `address` the user's, unconfirmed; False when it already is (nothing changes).
    team_errors.BadSetting for an address that does not look like one."""
    checked = check_email(address)
    if checked is None:
        raise NotConfirmed("Enter an email address, or remove the one you have.")
    if checked == user.email:
        return False
    user.email = checked
    user.email_confirmed_at = None
    _changed(user)
    return True


def remove(user: User) -> None:
    user.email = None
    user.email_confirmed_at = None
    _changed(user)


def link_token(user: User) -> str:
    """The token of the link that confirms the user's current address."""
    return _serializer().dumps({"user": user.id, "email": user.email})


def confirm(user: User, token: str) -> None:
    """Confirm the address the token names, if it is still the user's; NotConfirmed if not."""
    try:
        named = _serializer().loads(token, max_age=CONFIRM_MAX_AGE.total_seconds())
    except SignatureExpired as error:
        raise NotConfirmed("This link has expired: send yourself a new one.") from error
    except BadSignature as error:
        raise NotConfirmed("This link is not valid.") from error
    if named.get("user") != user.id or not user.email or named.get("email") != user.email:
        raise NotConfirmed("This link is for an address your account does not have now.")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        _changed(user)


def send_link(user: User, url: str) -> None:
    """Email the confirmation link `url` to the user's address; mail.MailNotSent if not."""
    mail.send(
        user.email,
        "Confirm your email address on Emolytics",
        f"Hello {user.username},\n\nOpen this link to confirm that alerts and digests from "
        f"Emolytics may come to {user.email} (it works for two days):\n\n{url}\n\n"
        "If you did not ask for this, ignore this message: nothing will be sent here.\n",
    )
