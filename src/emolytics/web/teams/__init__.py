"""/teams: the user's teams, switching between them, and each team's members, invitations and
settings. The layout's team menu (`team_menu()` in every template) comes from here too."""

from typing import Any

from flask import Blueprint
from flask_login import current_user

from emolytics import current_team
from emolytics.accounts import teams

bp = Blueprint("teams", __name__)


@bp.app_context_processor
def team_menu_helper() -> dict[str, Any]:
    return {"team_menu": team_menu}


def team_menu() -> tuple[teams.Seat, list[teams.Seat]]:
    """The signed-in user's current seat and all their seats, for the layout (cached: no query
    on a cache hit)."""
    return current_team.seat(), teams.seats(current_user.id)


from emolytics.web.teams import members, notifications, views  # noqa: E402,F401  (routes register on import)
