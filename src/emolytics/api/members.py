"""A team's members: listed by any member; roles changed and members removed by admins
(owners by owners only). A team always keeps an owner."""

from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import request_audit
from emolytics.accounts import members
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.current_team import requires
from emolytics.schemas.teams import Member, Members, RoleChange
from emolytics.tables import Role

RULES = (
    "Admins manage the members below owner; only an owner makes or unmakes owners. A team "
    "always keeps an owner (409 `last_owner`), and a personal team its own user (409 "
    "`personal_team`)."
)


@bp.get("/teams/<int:team_id>/members")
@documented(
    Operation(
        "listMembers",
        "Teams",
        "The team's members and their roles",
        replies={200: Reply("Owners first, then by username.", Members)},
        errors=(401, 404),
    )
)
@requires(Role.VIEWER, team_in_url=True)
def list_members(team_id: int) -> ResponseReturnValue:
    found = members.list_members(team_id)
    return Members(members=[Member.of(member) for member in found]).json()


@bp.patch("/teams/<int:team_id>/members/<int:user_id>")
@documented(
    Operation(
        "changeRole",
        "Teams",
        "Change a member's role (admins)",
        description=RULES,
        body={"application/json": RoleChange},
        examples={"application/json": {"role": "analyst"}},
        replies={200: Reply("The member, with the new role.", Member)},
        errors=(400, 401, 403, 404, 409, 415),
    )
)
@requires(Role.ADMIN, team_in_url=True)
def change_role(team_id: int, user_id: int) -> ResponseReturnValue:
    body = json_body(RoleChange)
    role = Role.named(body.role)
    member = members.change_role(request_audit.actor(), team_id, user_id, role)
    return Member.of(member).json()


@bp.delete("/teams/<int:team_id>/members/<int:user_id>")
@documented(
    Operation(
        "removeMember",
        "Teams",
        "Remove a member (admins), or leave the team (your own id)",
        description=RULES + " Their tokens stop working in the team at once.",
        replies={204: Reply("Removed.")},
        errors=(401, 403, 404, 409),
    )
)
@requires(Role.ADMIN, team_in_url=True, or_self=True)
def remove_member(team_id: int, user_id: int) -> ResponseReturnValue:
    if user_id == current_user.id:
        members.leave(request_audit.actor(), team_id)
    else:
        members.remove_member(request_audit.actor(), team_id, user_id)
    return "", 204
