"""Teams: the caller's teams with their role, and new teams (the caller becomes owner).

`team_seat` is how every `/teams/<team_id>/...` view finds the caller's place in the team of
the URL (whatever team the token works in): 404 for a team they are not in, 403 for a role
too low.
"""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.accounts import teams
from emolytics.accounts.team_errors import NotMember, RoleTooLow
from emolytics.accounts.teams import Seat
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.schemas.errors import Refusal
from emolytics.schemas.teams import NewTeam, Team, Teams
from emolytics.tables import Role


def team_seat(team_id: int, needed: Role = Role.VIEWER) -> Seat:
    """The caller's seat in `team_id`, holding `needed` or above (from the cache)."""
    seat = teams.seat(current_user.id, team_id)
    if seat is None:
        raise NotMember()
    if not seat.allows(needed):
        raise RoleTooLow(seat.team_name, seat.role, needed)
    return seat


@bp.get("/teams")
@documented(
    Operation(
        "listTeams",
        "Teams",
        "Your teams, with your role in each",
        replies={200: Reply("Your personal team first, then by name.", Teams)},
        errors=(401,),
    )
)
def list_teams() -> ResponseReturnValue:
    return Teams(teams=[Team.of(seat) for seat in teams.seats(current_user.id)]).json()


@bp.post("/teams")
@documented(
    Operation(
        "createTeam",
        "Teams",
        "Create a team; you become its owner",
        body={"application/json": NewTeam},
        examples={"application/json": {"name": "Customer care"}},
        replies={201: Reply("The new team.", Team, location=True)},
        errors=(400, 401, 415),
    )
)
def create_team() -> ResponseReturnValue:
    body = json_body(NewTeam)
    try:
        team = teams.create_team(current_user, body.name)
    except teams.TeamNameError as error:
        raise Refusal(400, "invalid_name", str(error)) from error
    seat = team_seat(team.id)
    location = url_for("api.list_members", team_id=team.id)
    return Team.of(seat).json(), 201, {"Location": location}
