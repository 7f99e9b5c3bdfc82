"""What the passkey endpoints of /login, /reauthenticate and /account share: the relying
party of this request, the one challenge a session holds, and the JSON they answer with.

Shared by the auth and account blueprints (like `highlighting.py`); the passkeys themselves
are `accounts.passkeys`.
"""

import base64
import time
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, jsonify, request, session
from flask.typing import ResponseReturnValue

from emolytics.accounts.passkeys import Ceremony, RelyingParty
from emolytics.schemas.errors import error_body

CHALLENGE = "passkey_challenge"
CHALLENGE_SECONDS = 300  # the browser's own time-out is 60 s


def relying_party() -> RelyingParty:
    """WEBAUTHN_RP_ID and WEBAUTHN_ORIGIN, else this request's host and origin."""
    config = current_app.config
    origin = config["WEBAUTHN_ORIGIN"] or request.host_url.rstrip("/")
    party_id = config["WEBAUTHN_RP_ID"] or urlsplit(origin).hostname or request.host
    return RelyingParty(id=party_id, name=config["WEBAUTHN_RP_NAME"], origin=origin)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def keep(ceremony: Ceremony, purpose: str, **details: Any) -> ResponseReturnValue:
    """Hold the ceremony's challenge in the session for `purpose` (replacing any earlier one)
    and answer with its options."""
    session[CHALLENGE] = {
        "purpose": purpose,
        "challenge": _b64(ceremony.challenge),
        "handle": _b64(ceremony.user_handle) if ceremony.user_handle else None,
        "at": time.time(),
        **details,
    }
    return current_app.response_class(ceremony.options_json, mimetype="application/json")


def take(purpose: str) -> dict[str, Any] | None:
    """The challenge kept for `purpose`, removed from the session (each is used once); None
    when there is none, it is for another purpose, or it is older than CHALLENGE_SECONDS.
    Its "challenge" and "handle" come back as bytes."""
    kept = session.pop(CHALLENGE, None)
    if not isinstance(kept, dict) or kept.get("purpose") != purpose:
        return None
    if not 0 <= time.time() - float(kept.get("at", 0)) <= CHALLENGE_SECONDS:
        return None
    kept["challenge"] = base64.urlsafe_b64decode(kept["challenge"])
    if kept.get("handle"):
        kept["handle"] = base64.urlsafe_b64decode(kept["handle"])
    return kept


def posted_json() -> dict[str, Any]:
    """The request's JSON object, or an empty one (the checks that follow refuse it)."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def refused(message: str, status: int = 400) -> ResponseReturnValue:
    return jsonify(error_body("passkey_refused", message)), status


EXPIRED = "The passkey request expired or was already used: please try again."
