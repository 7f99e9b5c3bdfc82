"""Invitations: created, listed and revoked by a team's admins; accepted by the invitee's token.

The code of a new invitation is in the answer once (it is stored hashed); with mail set up and
an `email` given, the link is emailed too (`emailed`).
"""

from flask import url_for
from flask.typing import ResponseReturnValue

from emolytics import current_team, mail, request_audit
from emolytics.accounts import invitations
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.current_team import requires
from emolytics.schemas.teams import (
    Invitation,
    Invitations,
    Membership,
    NewInvitation,
    NewInvitationAnswer,
)
from emolytics.tables import Role


@bp.post("/teams/<int:team_id>/invitations")
@documented(
    Operation(
        "createInvitation",
        "Teams",
        "Invite someone to the team (admins)",
        description="Only an owner invites as owner. The invitation lasts `expires_days` "
        f"({invitations.MIN_DAYS}-{invitations.MAX_DAYS}, default {invitations.DEFAULT_DAYS}) "
        "and works once.",
        body={"application/json": NewInvitation},
        examples={"application/json": {"role": "analyst", "expires_days": 7}},
        replies={
            201: Reply("The invitation, with its code and link (shown once).", NewInvitationAnswer)
        },
        errors=(400, 401, 403, 404, 415),
    )
)
@requires(Role.ADMIN, team_in_url=True)
def create_invitation(team_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    body = json_body(NewInvitation)
    created = invitations.create(
        request_audit.actor(),
        team_id,
        Role.named(body.role),
        days=body.expires_days,
        email=body.email,
        allow_registration=body.allow_registration,
    )
    url = url_for("invitations.show", code=created.code, _external=True)
    emailed = _emailed(created, seat.team_name, url)
    fields = Invitation.fields(created.invitation)
    answer = NewInvitationAnswer(**fields, code=created.code, url=url, emailed=emailed)
    return answer.json(), 201


def _emailed(created: invitations.Created, team_name: str, url: str) -> bool:
    """Whether the link went to the invitation's address (the answer carries it either way)."""
    if created.invitation.email is None or not mail.configured():
        return False
    try:
        invitations.send(created, team_name, url)
    except mail.MailNotSent:
        return False
    return True


@bp.get("/teams/<int:team_id>/invitations")
@documented(
    Operation(
        "listInvitations",
        "Teams",
        "The team's pending invitations (admins)",
        replies={
            200: Reply("Newest first; used, revoked and expired ones are left out.", Invitations)
        },
        errors=(401, 403, 404),
    )
)
@requires(Role.ADMIN, team_in_url=True)
def list_invitations(team_id: int) -> ResponseReturnValue:
    found = invitations.pending(team_id)
    return Invitations(invitations=[Invitation.of(each) for each in found]).json()


@bp.delete("/teams/<int:team_id>/invitations/<int:invitation_id>")
@documented(
    Operation(
        "revokeInvitation",
        "Teams",
        "Revoke a pending invitation (admins)",
        replies={204: Reply("Revoked: its link no longer works.")},
        errors=(401, 403, 404),
    )
)
@requires(Role.ADMIN, team_in_url=True)
def revoke_invitation(team_id: int, invitation_id: int) -> ResponseReturnValue:
    invitations.revoke(request_audit.actor(), team_id, invitation_id)
    return "", 204


@bp.post("/invitations/<code>/accept")
@documented(
    Operation(
        "acceptInvitation",
        "Teams",
        "Accept an invitation: join its team",
        replies={200: Reply("Your membership.", Membership)},
        errors=(401, 404, 409, 410),
    )
)
def accept_invitation(code: str) -> ResponseReturnValue:
    seat = invitations.accept(code, request_audit.actor())
    return Membership.of(seat).json()
