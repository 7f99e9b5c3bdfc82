"""Passkeys at the door: passwordless sign-in from /login, the second step after a password,
and reauthentication. JSON endpoints for static/js/passkeys.js, CSRF-protected by the token
it sends in the X-CSRFToken header."""

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import confirm_login, current_user, login_required

from emolytics.accounts import errors, passkeys, second_factor
from emolytics.extensions import db, limiter
from emolytics.security import safe_next
from emolytics.web.auth import bp
from emolytics.web.auth.signing import pending, sign_in
from emolytics.web.passkey_ceremony import (
    EXPIRED,
    keep,
    posted_json,
    refused,
    relying_party,
    take,
)

SIGN_IN = "sign-in"
REAUTHENTICATE = "reauthenticate"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.post("/login/passkey/options")
@limiter.limit(_login_limit)
def passkey_options() -> ResponseReturnValue:
    """Options for a passkey sign-in: the waiting user's passkeys after a correct password
    (a second factor), else any discoverable passkey with user verification (passwordless)."""
    if current_user.is_authenticated:
        return refused("You are already signed in.", 409)
    waiting = pending()
    if waiting is not None:
        user, remember = waiting
        ceremony = passkeys.authentication(relying_party(), user.id, verify_user=False)
        return keep(ceremony, SIGN_IN, user_id=user.id, remember=remember)
    remember = posted_json().get("remember") is True
    ceremony = passkeys.authentication(relying_party(), None, verify_user=True)
    return keep(ceremony, SIGN_IN, user_id=None, remember=remember)


@bp.post("/login/passkey")
@limiter.limit(_login_limit)
def passkey_verify() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return refused("You are already signed in.", 409)
    kept = take(SIGN_IN)
    if kept is None:
        return refused(EXPIRED)
    waiting = pending() if kept["user_id"] is not None else None
    if kept["user_id"] is not None and (waiting is None or waiting[0].id != kept["user_id"]):
        return refused(EXPIRED)
    where = {"ip": request.remote_addr, "user_agent": request.user_agent.string}
    try:
        if waiting is None:
            user = second_factor.passkey_sign_in(
                posted_json(), relying_party(), kept["challenge"], **where
            )
        else:
            user = waiting[0]
            second_factor.check_passkey(
                user, posted_json(), relying_party(), kept["challenge"], **where
            )
    except errors.LoginThrottled as error:
        return refused(str(error), 429)
    except passkeys.PasskeyError as error:
        db.session.rollback()
        return refused(str(error))
    sign_in(user, remember=bool(kept["remember"]), passed_second_factor=True)
    next_url = safe_next(request.args.get("next")) or url_for("dashboard.home")
    return jsonify(redirect=next_url, message=f"Welcome back, {user.username}.")


@bp.post("/reauthenticate/passkey/options")
@login_required
def reauthenticate_passkey_options() -> ResponseReturnValue:
    ceremony = passkeys.authentication(relying_party(), current_user.id, verify_user=True)
    return keep(ceremony, REAUTHENTICATE, user_id=current_user.id)


@bp.post("/reauthenticate/passkey")
@login_required
def reauthenticate_passkey() -> ResponseReturnValue:
    """A passkey with user verification stands for the password and the second factor."""
    kept = take(REAUTHENTICATE)
    if kept is None or kept["user_id"] != current_user.id:
        return refused(EXPIRED)
    try:
        passkeys.authenticate(
            posted_json(),
            relying_party(),
            kept["challenge"],
            user_id=current_user.id,
            verify_user=True,
        )
    except passkeys.PasskeyError as error:
        db.session.rollback()
        return refused(str(error))
    second_factor.mark_session(current_user)
    db.session.commit()
    confirm_login()
    next_url = safe_next(request.args.get("next")) or url_for("dashboard.home")
    return jsonify(redirect=next_url)
