"""The team a request works in, and the role it needs there.

A browser works in the team chosen in the session: a new session starts in the team the user
last chose (`users.last_team_id`, while they are still a member; else their personal team), and
any page's `?team=<id>` chooses one the user is a member of, so shared links open in their
team; an API call works in its token's team, with the role its user holds there now. Views
ask `seat()` for the current user's seat and guard themselves with `@requires(Role.X)`: a
member whose role is too low gets 403 with a clear message, and anything of another team is
simply not found (404) by the lookups, which take the seat's team id.

Every seat comes from the short-lived cache (`accounts.teams`): no query on a cache hit.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, g, request, session
from flask_login import current_user

from emolytics.accounts import second_factor, teams
from emolytics.accounts.team_errors import NotMember, RoleTooLow, SecondFactorNeeded
from emolytics.accounts.teams import Seat
from emolytics.schemas.fields import MAX_ID
from emolytics.tables import Role

SESSION_KEY = "team_id"
LINK_ARGUMENT = "team"  # ?team=<id> on any page
View = TypeVar("View", bound=Callable[..., Any])


def seat() -> Seat:
    """The signed-in user's seat in the team this request works in (cached per request)."""
    found: Seat | None = g.get("seat")
    if found is not None:  # asked before in this request: by `requires`, the layout, `may`
        return found
    user_id = current_user.id  # loads the user; an API token's loader sets its seat (`adopt`)
    found = g.get("seat") or _chosen(user_id)
    if found is None:  # a new session: where the user last worked, while still a member
        found = teams.last_seat(user_id) or teams.personal_seat(user_id)
        session[SESSION_KEY] = found.team_id
    g.seat = found
    return found


def choose(team_id: int) -> Seat:
    """Work in `team_id` from now on in this session; 404 unless the user is a member."""
    return _keep(seat_in(team_id))


def _keep(found: Seat) -> Seat:
    """The session works in `found`'s team from now on, this request too, and so does the
    user's next session."""
    session[SESSION_KEY] = found.team_id
    g.seat = found
    teams.remember_choice(found.user_id, found.team_id)
    return found


def team_id() -> int:
    """The id of the team this request works in: what every lookup of a team's data takes."""
    return seat().team_id


def _chosen(user_id: int) -> Seat | None:
    """The seat in the team the session chose; a team the user has left is forgotten (the
    cache keeps no "not a member", so it would be asked of the database on every request)."""
    team_id = session.get(SESSION_KEY)
    if team_id is None:
        return None
    seats = teams.seats(user_id) if isinstance(team_id, int) else []  # the layout's, cached
    found = next((each for each in seats if each.team_id == team_id), None)
    if found is None:
        session.pop(SESSION_KEY, None)
    return found


def adopt(token_seat: Seat, scope: str) -> None:
    """An API request works in its token's team, with the token's scope (`read`, `write`)."""
    g.seat = token_seat
    g.token_scope = scope


def token_scope() -> str | None:
    """The scope of the API token this request came with (None: not a token's request)."""
    return g.get("token_scope")


def switch_from_link() -> None:
    """`?team=<id>` on a page: work in that team from now on, if the user is a member (the
    argument is ignored otherwise, and on the API, whose team is the token's)."""
    wanted = request.args.get(LINK_ARGUMENT, type=int)
    if wanted is None or not 0 < wanted <= MAX_ID or request.path.startswith("/api/"):
        return
    if not current_user.is_authenticated:
        return
    found = teams.seat(current_user.id, wanted)
    if found is not None:
        _keep(found)


def install(app: Flask) -> None:
    app.before_request(switch_from_link)


def seat_in(team_id: int, needed: Role = Role.VIEWER) -> Seat:
    """The user's seat in the team a URL names (`/teams/<team_id>/...`), whatever team the
    request works in: NotMember (404) when they are not in it, RoleTooLow (403) below `needed`."""
    found = teams.seat(current_user.id, team_id)
    if found is None:
        raise NotMember()
    _check(found, needed)
    return found


def _check(held: Seat, needed: Role) -> None:
    if not held.allows(needed):
        raise RoleTooLow(held.team_name, held.role, needed)


def _check_second_factor(held: Seat) -> None:
    """A team that requires a second factor: a browser's sign-in must have passed one, an API
    token's user must have one (one query, only in such teams)."""
    user = current_user._get_current_object()
    if token_scope() is None:
        passed = second_factor.session_passed_second_factor(user)
    else:
        passed = second_factor.has_second_factor(user.id)
    if not passed:
        raise SecondFactorNeeded(held.team_name)


def requires(
    role: Role, *, team_in_url: bool = False, or_self: bool = False
) -> Callable[[View], View]:
    """Refuse the view unless the user holds `role` or above: in the team the request works
    in, or with `team_in_url` in the team of the URL's `team_id` (404 when not a member there).
    With `or_self`, any member may act on themselves (the URL's `user_id` is their own)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            held = seat_in(kwargs["team_id"]) if team_in_url else seat()
            acting_on_self = or_self and kwargs.get("user_id") == current_user.id
            _check(held, Role.VIEWER if acting_on_self else role)
            if held.require_second_factor:
                _check_second_factor(held)
            return view(*args, **kwargs)

        guarded.required_role = role  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
