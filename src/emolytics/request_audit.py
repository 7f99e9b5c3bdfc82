"""What a page or an API call records in the audit log: the signed-in user as the actor, the
request's team and address.

The views call these after the one call that made the change (and committed it), or for a read
(an export), so each event commits apart (`audit.record_apart`), leaving the view's session and
the objects it loaded as they were: an export still streams from them. Inside a change's own
transaction, `accounts.audit.record` is the way (the sign-in does that).
"""

from flask import request
from flask_login import current_user

from emolytics import current_team
from emolytics.accounts import audit
from emolytics.accounts.teams import Seat


def team_event(
    action: str, target: str, outcome: str = "ok", *, team_id: int | None = None
) -> None:
    """Record (committed at once) what the signed-in user did in the team this request works
    in, or in `team_id` (the team a URL names)."""
    _commit(action, team_id or current_team.seat().team_id, target, outcome)


def joined(seat: Seat) -> None:
    """Record that the signed-in user accepted an invitation and holds `seat` now."""
    target = f"joined as {seat.role.label}"
    _commit("invitation.accepted", seat.team_id, target, "ok")


def account_event(action: str, target: str | None = None, outcome: str = "ok") -> None:
    """Record (committed at once) what the signed-in user did to their own account (no team)."""
    _commit(action, None, target, outcome)


def _commit(action: str, team_id: int | None, target: str | None, outcome: str) -> None:
    user, ip = current_user, request.remote_addr
    event = audit.Event(action, user.id, user.username, team_id, target, ip, outcome)
    audit.record_apart(event)
