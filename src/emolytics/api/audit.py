"""A team's audit log, for its admins: `GET /teams/<id>/audit`, newest first, paginated."""

from flask import request
from flask.typing import ResponseReturnValue

from emolytics.accounts import audit
from emolytics.api import bp
from emolytics.api.operations import Operation, Reply, documented
from emolytics.current_team import requires
from emolytics.schemas.audit import AuditPage, AuditQuery
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
@requires(Role.ADMIN, team_in_url=True)
def team_audit(team_id: int) -> ResponseReturnValue:
    asked = AuditQuery.read_args(request.args)
    found = audit.team_page(team_id, asked.filters(), asked.page, asked.per_page)
    return AuditPage.of(found, asked.per_page).json()
