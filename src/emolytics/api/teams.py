"""Teams: the caller's teams with their role, and new teams (the caller becomes owner).

Every `/teams/<team_id>/...` view finds the caller's place in the team of the URL (whatever
team the token works in) through `current_team.requires(..., team_in_url=True)`: 404 for a team
they are not in, 403 for a role too low.
"""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import request_audit
from emolytics.accounts import teams
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.schemas.errors import Refusal
from emolytics.schemas.teams import NewTeam, Team, Teams


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
        team = teams.create_team(current_user, body.name, request_audit.actor())
    except teams.TeamNameError as error:
        raise Refusal(400, "invalid_name", str(error)) from error
    seat = teams.seat(current_user.id, team.id)
    location = url_for("api.list_members", team_id=team.id)
    return Team.of(seat).json(), 201, {"Location": location}
