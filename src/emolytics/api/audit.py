"""A team's audit log, for its admins: `GET /teams/<id>/audit`, newest first, paginated."""

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import NotFound

from emolytics.accounts import audit, teams
from emolytics.api import bp
from emolytics.api.operations import Operation, Reply, documented
from emolytics.schemas.audit import AuditPage, AuditQuery
from emolytics.schemas.errors import Refusal
from emolytics.tables import Role


@bp.get("/teams/<int:team_id>/audit")
@documented(
    Operation(
        "listTeamAudit",
        "Teams",
        "A team's audit log",
        description="Sign-ins, uploads, deletions, exports, trainings, tokens, members and "
        "settings of the team, newest first. Admins and owners of the team only.",
        query=(AuditQuery,),
        replies={200: Reply("One page of events.", AuditPage)},
        errors=(400, 401, 403, 404),
    )
)
def team_audit(team_id: int) -> ResponseReturnValue:
    seat = teams.seat(current_user.id, team_id)
    if seat is None:
        raise NotFound("There is nothing here, or it is not yours to see.")
    if not seat.allows(Role.ADMIN):
        raise Refusal(
            403,
            "forbidden",
            f"Your role in {seat.team_name} is {seat.role.label}: this needs admin or above.",
        )
    asked = AuditQuery.read_args(request.args)
    found = audit.team_page(team_id, asked.filters(), asked.page, asked.per_page)
    return AuditPage.of(found, asked.per_page).json()
