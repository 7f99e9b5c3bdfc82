"""What the team functions (`members`, `invitations`) raise: each refusal carries the status and
the code the edges answer with, and a message for the user."""

from emolytics.tables import Role


class TeamChangeRefused(Exception):
    """A change to a team that cannot be made; `status` and `code` say how the edges answer."""

    status = 409
    code = "conflict"


class NotMember(TeamChangeRefused):
    """No such team or member, as far as the asking user may know."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "There is nothing here, or it is not yours to see.") -> None:
        super().__init__(message)


class RoleTooLow(TeamChangeRefused):
    status = 403
    code = "forbidden"

    def __init__(self, team_name: str, held: Role, needed: Role) -> None:
        super().__init__(
            f"Your role in {team_name} is {held.label}: this needs {needed.label} or above."
        )


class SecondFactorNeeded(TeamChangeRefused):
    status = 403
    code = "second_factor_required"

    def __init__(self, team_name: str) -> None:
        super().__init__(
            f"{team_name} requires its members to use a second factor: set one up on "
            "/account/second-factor (an authenticator app or a passkey)."
        )


class LastOwner(TeamChangeRefused):
    code = "last_owner"

    def __init__(self) -> None:
        super().__init__(
            "A team always keeps an owner: make another member owner first (or delete the team)."
        )


class PersonalTeam(TeamChangeRefused):
    code = "personal_team"


class BadSetting(TeamChangeRefused):
    status = 400
    code = "invalid_setting"
