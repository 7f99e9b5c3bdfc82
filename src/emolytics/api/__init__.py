"""JSON API v1: bearer tokens only (through Flask-Login's request_loader), JSON errors."""

from flask import Blueprint, g, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.errors import api_error

bp = Blueprint("api", __name__)

QUERY_TOKEN_NAMES = {"access_token", "token", "api_key", "apikey", "key"}


@bp.before_request
def require_bearer_token() -> ResponseReturnValue | None:
    if QUERY_TOKEN_NAMES & set(request.args):
        return api_error(
            401, "token_in_query", "Send the token in the Authorization header, never in the URL."
        )
    if not current_user.is_authenticated:
        if g.get("bearer_token_given"):
            return api_error(401, "invalid_token", "The token is unknown, expired or revoked.")
        return api_error(401, "unauthorized", "Send 'Authorization: Bearer <token>'.")
    return None


@bp.get("/me")
def me() -> ResponseReturnValue:
    return {
        "id": current_user.id,
        "username": current_user.username,
        "created_at": current_user.created_at.isoformat(),
        "last_login_at": current_user.last_login_at.isoformat()
        if current_user.last_login_at
        else None,
    }
