"""What the team API takes (new teams, roles, invitations) and answers (teams, members,
invitations, memberships)."""

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, StrictStr

from emolytics.accounts.invitations import DEFAULT_DAYS, EMAIL_MAX, MAX_DAYS, MIN_DAYS
from emolytics.accounts.members import Member as MemberRow
from emolytics.accounts.teams import NAME_MAX, Seat
from emolytics.schemas.answers import Answer
from emolytics.schemas.fields import Timestamp
from emolytics.schemas.requests import Body
from emolytics.tables import Invitation as InvitationRow
from emolytics.tables import Role

RoleName = Literal["viewer", "analyst", "admin", "owner"]
ROLE_RULE = ("invalid_role", "role is one of viewer, analyst, admin, owner.")


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class NewTeam(Body):
    refusals = {"name": ("invalid_name", f"Give a name of 1-{NAME_MAX} characters.")}

    name: StrictStr = Field(min_length=1, max_length=NAME_MAX, pattern=r"\S")


class RoleChange(Body):
    refusals = {"role": ROLE_RULE}

    role: Annotated[RoleName, BeforeValidator(_lower)]


class NewInvitation(Body):
    refusals = {
        "role": ROLE_RULE,
        "expires_days": (
            "invalid_expires_days",
            f"expires_days is a whole number from {MIN_DAYS} to {MAX_DAYS}.",
        ),
        "email": ("invalid_email", "email is an address like name@example.org, or null."),
        "allow_registration": ("invalid_allow_registration", "allow_registration is a boolean."),
    }

    role: Annotated[RoleName, BeforeValidator(_lower)]
    expires_days: StrictInt = Field(DEFAULT_DAYS, ge=MIN_DAYS, le=MAX_DAYS)
    email: StrictStr | None = Field(
        None, max_length=EMAIL_MAX, description="Where to email the link (when mail is set up)."
    )
    allow_registration: StrictBool = Field(
        False, description="The invitee may create an account through the link."
    )


class Team(Answer):
    id: int
    name: str
    role: RoleName = Field(description="Your role in it.")
    personal: bool = Field(description="Your personal team.")

    @classmethod
    def of(cls, seat: Seat) -> "Team":
        return cls(
            id=seat.team_id, name=seat.team_name, role=seat.role.label, personal=seat.personal
        )


class Teams(Answer):
    teams: list[Team]


class Member(Answer):
    user_id: int
    username: str
    role: RoleName
    joined_at: Timestamp

    @classmethod
    def of(cls, member: MemberRow) -> "Member":
        return cls(
            user_id=member.user_id,
            username=member.username,
            role=member.role.label,
            joined_at=member.joined_at,
        )


class Members(Answer):
    members: list[Member]


class Invitation(Answer):
    id: int
    role: RoleName
    email: str | None
    allow_registration: bool
    created_at: Timestamp
    expires_at: Timestamp

    @classmethod
    def fields(cls, invitation: InvitationRow) -> dict[str, Any]:
        return {
            "id": invitation.id,
            "role": Role(invitation.role).label,
            "email": invitation.email,
            "allow_registration": invitation.allow_registration,
            "created_at": invitation.created_at,
            "expires_at": invitation.expires_at,
        }

    @classmethod
    def of(cls, invitation: InvitationRow) -> "Invitation":
        return cls(**cls.fields(invitation))


class NewInvitationAnswer(Invitation):
    code: str = Field(description="The secret of the link: shown this once, stored hashed.")
    url: str = Field(description="The link to hand to the invitee.")
    emailed: bool = Field(description="The link was emailed to `email`.")


class Invitations(Answer):
    invitations: list[Invitation]


class Membership(Answer):
    team_id: int
    team_name: str
    user_id: int
    role: RoleName

    @classmethod
    def of(cls, seat: Seat) -> "Membership":
        return cls(
            team_id=seat.team_id,
            team_name=seat.team_name,
            user_id=seat.user_id,
            role=seat.role.label,
        )
