"""/account/second-factor/passkeys: adding a passkey (JSON endpoints for
static/js/passkeys.js, CSRF-protected by the X-CSRFToken header)."""

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_fresh, login_required

from emolytics import request_audit
from emolytics.accounts import passkeys
from emolytics.accounts.audit import named
from emolytics.web.account import bp
from emolytics.web.passkey_ceremony import EXPIRED, keep, posted_json, refused, relying_party, take

REGISTER = "register"
NOT_FRESH = "Please sign in again (reload this page) before adding a passkey."


@bp.post("/second-factor/passkeys/options")
@login_required
def passkey_registration_options() -> ResponseReturnValue:
    if not login_fresh():
        return refused(NOT_FRESH, 401)
    try:
        ceremony = passkeys.registration(current_user, relying_party())
    except passkeys.PasskeyError as error:
        return refused(str(error), 409)
    return keep(ceremony, REGISTER, user_id=current_user.id)


@bp.post("/second-factor/passkeys")
@login_required
def add_passkey() -> ResponseReturnValue:
    if not login_fresh():
        return refused(NOT_FRESH, 401)
    kept = take(REGISTER)
    if kept is None or kept["user_id"] != current_user.id:
        return refused(EXPIRED)
    body = posted_json()
    try:
        passkey = passkeys.register(
            current_user,
            str(body.get("name") or ""),
            body.get("credential"),
            relying_party(),
            kept["challenge"],
            kept["handle"],
        )
    except passkeys.PasskeyError as error:
        return refused(str(error))
    request_audit.account_event("passkey.added", named("passkey", passkey.id, passkey.name))
    return jsonify(
        id=passkey.id, name=passkey.name, redirect=url_for("account.second_factor_page")
    ), 201
