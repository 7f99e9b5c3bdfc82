"""The team's audit log: a page of events (filtered by action and days) and its exports."""

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team, downloads, request_audit
from emolytics.accounts import audit
from emolytics.current_team import requires
from emolytics.schemas.audit import AuditQuery
from emolytics.schemas.errors import Refusal
from emolytics.tables import Role
from emolytics.web.audit import bp


def _asked() -> AuditQuery:
    try:
        return AuditQuery.read_args(request.args)
    except Refusal as refusal:
        abort(400, refusal.message)


@bp.get("")
@login_required
@requires(Role.ADMIN)
def index() -> ResponseReturnValue:
    asked = _asked()
    seat = current_team.seat()
    filters = asked.filters()
    found = audit.team_page(seat.team_id, filters, asked.page, asked.per_page)
    args = filters.as_args()
    exports = {
        kind: url_for("audit.export", file_format=kind, **args) for kind in downloads.MEDIA_TYPES
    }
    return render_template(
        "audit/index.html", seat=seat, found=found, asked=asked, args=args, exports=exports
    )


@bp.get("/export.<any(csv, xlsx, jsonl):file_format>")
@login_required
@requires(Role.ADMIN)
def export(file_format: str) -> ResponseReturnValue:
    filters = _asked().filters()
    team_id = current_team.seat().team_id
    write = {"csv": audit.csv_lines, "xlsx": audit.workbook_chunks, "jsonl": audit.jsonl_lines}
    lines = write[file_format](team_id, filters)
    request_audit.team_event("audit.exported", f"team {team_id} audit log as {file_format}")
    filename = f"audit-team-{team_id}.{file_format}"
    return downloads.attachment(lines, downloads.MEDIA_TYPES[file_format], filename)
