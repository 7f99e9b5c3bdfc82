"""The team a request works in, and the role it needs there.

A browser works in the team chosen in the session (the personal team until another is chosen);
an API call works in its token's team. Views ask `seat()` for the current user's seat there and
guard themselves with `@requires(Role.X)`: a member whose role is too low gets 403 with a clear
message, and anything of another team is simply not found (404) by the lookups, which take the
seat's team id.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, session
from flask_login import current_user

from emolytics.accounts import teams
from emolytics.accounts.teams import Seat
from emolytics.tables import Role

SESSION_KEY = "team_id"
View = TypeVar("View", bound=Callable[..., Any])


def seat() -> Seat:
    """The signed-in user's seat in the team this request works in (cached per request)."""
    found: Seat | None = g.get("seat")
    if found is None:
        found = _chosen() or teams.personal_seat(current_user.id)
        g.seat = found
    return found


def choose(team_id: int) -> Seat:
    """Work in `team_id` from now on in this session; 404 unless the user is a member."""
    found = teams.seat(current_user.id, team_id)
    if found is None:
        abort(404, "There is nothing here, or it is not yours to see.")
    session[SESSION_KEY] = team_id
    g.seat = found
    return found


def _chosen() -> Seat | None:
    team_id = session.get(SESSION_KEY)
    return teams.seat(current_user.id, team_id) if isinstance(team_id, int) else None


def requires(role: Role) -> Callable[[View], View]:
    """Refuse the view with 403 unless the current seat's role is `role` or above."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            held = seat()
            if not held.allows(role):
                abort(
                    403,
                    f"Your role in {held.team_name} is {held.role.label}: "
                    f"this needs {role.label} or above.",
                )
            return view(*args, **kwargs)

        guarded.required_role = role  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
