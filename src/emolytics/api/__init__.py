"""JSON API v1: bearer tokens only (through Flask-Login's request_loader), JSON errors.

One module per resource; each registers its routes on `bp` when imported below. The OpenAPI
document and the reference page built from it are public; everything else needs a token, and
works in the token's team: a `read` token may only GET, and each view names the least role
it needs (`@requires`).
"""

from flask import Blueprint, Response, g, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import NotFound

from emolytics import current_team
from emolytics.api.operations import Operation, Reply, documented
from emolytics.errors import api_error
from emolytics.schemas import answers
from emolytics.schemas.errors import Refusal
from emolytics.schemas.fields import MAX_ID
from emolytics.tables import Role

bp = Blueprint("api", __name__)

QUERY_TOKEN_NAMES = {"access_token", "token", "api_key", "apikey", "key"}
PUBLIC_ENDPOINTS = {"api.openapi_document", "api.reference"}
READING = {"GET", "HEAD"}


@bp.before_request
def require_bearer_token() -> ResponseReturnValue | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if QUERY_TOKEN_NAMES & set(request.args):
        return api_error(
            401, "token_in_query", "Send the token in the Authorization header, never in the URL."
        )
    if not current_user.is_authenticated:
        if g.get("bearer_token_given"):
            return api_error(401, "invalid_token", "The token is unknown, expired or revoked.")
        return api_error(401, "unauthorized", "Send 'Authorization: Bearer <token>'.")
    if current_team.token_scope() == "read" and request.method not in READING:
        return api_error(
            403,
            "read_only_token",
            f"This token has the read scope: it may only GET. {request.method} needs a token "
            "with the write scope.",
        )
    ids = (value for value in (request.view_args or {}).values() if isinstance(value, int))
    if any(value > MAX_ID for value in ids):  # no such id exists (nor fits in the database)
        raise NotFound("There is nothing here, or it is not yours to see.")
    return None


@bp.errorhandler(Refusal)
def refused(refusal: Refusal) -> Response:
    return api_error(refusal.status, refusal.code, refusal.message, refusal.items)


@bp.get("/me")
@documented(
    Operation(
        "me",
        "Account",
        "The token's user, team, role and scope",
        replies={200: Reply("You, in the token's team.", answers.Me)},
        errors=(401,),
    )
)
@current_team.requires(Role.VIEWER)
def me() -> ResponseReturnValue:
    seat = current_team.seat()
    scope = current_team.token_scope() or "write"
    return answers.me(current_user, seat.team_id, seat.team_name, seat.role, scope)


from emolytics.api import (  # noqa: E402,F401  (routes register on import)
    added_files,
    alerts,
    analyze,
    annotations,
    audit,
    corrections,
    datasets,
    exports,
    invitations,
    jobs,
    masking,
    members,
    models,
    openapi,
    reference,
    reports,
    retention,
    review,
    saved_views,
    side_by_side,
    subscriptions,
    teams,
    texts,
)
