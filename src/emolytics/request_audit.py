"""What a page or an API call records in the audit log: the signed-in user as the actor, the
request's team and address.

Changes to teams, members and invitations record themselves in their own transaction: a view
hands them `actor()`. For the rest, views call `team_event` or `account_event` after the one
call that made the change (and committed it), or for a read (an export): each event commits
apart (`audit.record_apart`), leaving the view's session and the objects it loaded as they
were, so an export still streams from them.
"""

from flask import request
from flask_login import current_user

from emolytics import current_team
from emolytics.accounts import audit


def actor() -> audit.Actor:
    """The signed-in user, from this request's address."""
    return audit.Actor(current_user.id, current_user.username, request.remote_addr)


def team_event(
    action: str, target: str, outcome: str = "ok", *, team_id: int | None = None
) -> None:
    """Record (committed at once) what the signed-in user did in the team this request works
    in, or in `team_id` (the team a URL names)."""
    _commit(action, team_id or current_team.seat().team_id, target, outcome)


def account_event(action: str, target: str | None = None, outcome: str = "ok") -> None:
    """Record (committed at once) what the signed-in user did to their own account (no team)."""
    _commit(action, None, target, outcome)


def _commit(action: str, team_id: int | None, target: str | None, outcome: str) -> None:
    audit.record_apart(audit.Event(action, actor(), team_id, target, outcome))
