"""What the account functions raise; the message is for the user."""


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""


class UsernameError(AccountError):
    pass


class PasswordPolicyError(AccountError):
    pass


class WrongPassword(AccountError):
    """The password typed again to confirm an action is not the user's."""


class LoginFailed(AccountError):
    def __init__(self) -> None:
        super().__init__("Invalid username or password.")


class ForeignBrowser(AccountError):
    """A session was presented by another browser than the one it was signed in with."""


class LoginThrottled(AccountError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed sign-ins for this account. Try again in {retry_after} seconds."
        )
        self.retry_after = retry_after


class OwnerNeeded(AccountError):
    """The account is the only owner of a team that has other members: it cannot go first."""

    def __init__(self, team_names: list[str]) -> None:
        names = ", ".join(repr(name) for name in team_names)
        super().__init__(
            f"You are the only owner of {names}, which has other members: transfer ownership "
            "to one of them (or remove them) before deleting your account."
        )
        self.team_names = team_names


class SecondFactorError(AccountError):
    """A second-factor set-up or change that cannot be carried out."""


class SecondFactorFailed(AccountError):
    def __init__(self) -> None:
        super().__init__("That code is not right, or it was already used.")
