"""/teams: the user's teams, switching between them, and each team's members, invitations and
settings. The layout's team menu (`team_menu()` in every template) comes from here too, and
`may(Role.ANALYST)`, which every page asks before it offers an action the role may not take."""

from typing import Any

from flask import Blueprint
from flask_login import current_user

from emolytics import current_team
from emolytics.accounts import teams
from emolytics.tables import Role

bp = Blueprint("teams", __name__)


@bp.app_context_processor
def team_menu_helper() -> dict[str, Any]:
    return {"team_menu": team_menu, "may": may, "Role": Role}


def team_menu() -> tuple[teams.Seat, list[teams.Seat]]:
    """The signed-in user's current seat and all their seats, for the layout (cached: no query
    on a cache hit)."""
    return current_team.seat(), teams.seats(current_user.id)


def may(needed: Role) -> bool:
    """Whether the signed-in user's role in their current team allows `needed`."""
    return current_user.is_authenticated and current_team.seat().allows(needed)


from emolytics.web.teams import members, notifications, views  # noqa: E402,F401  (routes register on import)
