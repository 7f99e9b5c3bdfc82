"""Teams and the seat a user holds in one: created, listed, and looked up on every request.

A *seat* is a user's membership of one team as a request needs it (the team's name, the role).
Seats come from the short-lived cache that sessions and tokens use, so checking the role of a
signed-in request costs no query; any change to a membership or a team raises the counters of
the users concerned (`changed_after_commit`), so the next request reads the database again.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update

from emolytics import caching
from emolytics.accounts.audit import Actor, Event, named, record
from emolytics.extensions import db
from emolytics.tables import ApiToken, Membership, Role, Team, User

NAME_MAX = 80

SEAT = (
    select(Team.id, Team.name, Team.personal_user_id, Team.require_second_factor, Membership.role)
    .join(Membership, Membership.team_id == Team.id)
    .where(Membership.user_id == bindparam("user_id"), Team.id == bindparam("team_id"))
)
SEATS = (
    select(Team.id, Team.name, Team.personal_user_id, Team.require_second_factor, Membership.role)
    .join(Membership, Membership.team_id == Team.id)
    .where(Membership.user_id == bindparam("user_id"))
    .order_by(Team.personal_user_id.is_(None), Team.name, Team.id)
)


class TeamNameError(ValueError):
    """A team name that is empty or too long."""


@dataclass(frozen=True, slots=True)
class Seat:
    """A user's place in one team."""

    user_id: int
    team_id: int
    team_name: str
    role: Role
    personal: bool  # the user's own personal team
    require_second_factor: bool

    def allows(self, needed: Role) -> bool:
        return self.role >= needed


def seats_guard(user_id: int) -> str:
    """The change counter of every cached seat of `user_id`."""
    return f"seats:{user_id}"


def _seat(user_id: int, row: object) -> Seat:
    team_id, name, personal_user_id, require_second_factor, role = row  # type: ignore[misc]
    return Seat(
        user_id, team_id, name, Role(role), personal_user_id == user_id, bool(require_second_factor)
    )


def seat(user_id: int, team_id: int) -> Seat | None:
    """`user_id`'s seat in `team_id`, or None when they are not a member (from the cache)."""

    def load() -> Seat | None:
        row = db.session.execute(SEAT, {"user_id": user_id, "team_id": team_id}).first()
        return None if row is None else _seat(user_id, row)

    return caching.cache().lookup(("seat", str(user_id), str(team_id)), seats_guard(user_id), load)


def seats(user_id: int) -> list[Seat]:
    """Every team `user_id` belongs to: the personal team first, then by name (cached)."""

    def load() -> list[Seat]:
        return [_seat(user_id, row) for row in db.session.execute(SEATS, {"user_id": user_id})]

    return caching.cache().lookup(("seats", str(user_id)), seats_guard(user_id), load)


def personal_seat(user_id: int) -> Seat:
    """The seat of `user_id` in their personal team."""
    return next(found for found in seats(user_id) if found.personal)


def last_seat(user_id: int) -> Seat | None:
    """The seat in the team `user_id` last chose to work in, while they are still a member."""
    team_id = db.session.scalar(select(User.last_team_id).where(User.id == user_id))
    return None if team_id is None else seat(user_id, team_id)


def remember_choice(user_id: int, team_id: int) -> None:
    """Record `team_id` as the team `user_id` works in: their next session starts there."""
    changed = User.last_team_id.is_(None) | (User.last_team_id != team_id)
    db.session.execute(update(User).where(User.id == user_id, changed).values(last_team_id=team_id))
    db.session.commit()


def check_name(name: str) -> str:
    """The team name as stored, or TeamNameError."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise TeamNameError(f"A team name is 1-{NAME_MAX} characters.")
    return name


def add_personal_team(user: User) -> Team:
    """Give a new user (flushed, not yet committed) their personal team, with them as owner."""
    team = Team(name=user.username, personal_user_id=user.id)
    db.session.add(team)
    db.session.flush()
    db.session.add(Membership(team_id=team.id, user_id=user.id, role=Role.OWNER))
    return team


def create_team(owner: User, name: str, actor: Actor) -> Team:
    """A new team owned by `owner`, created by `actor`; raises TeamNameError."""
    team = Team(name=check_name(name))
    db.session.add(team)
    db.session.flush()
    db.session.add(Membership(team_id=team.id, user_id=owner.id, role=Role.OWNER))
    record(Event("team.created", actor, team.id, named("team", team.id, team.name)))
    caching.changed_after_commit(db.session, [seats_guard(owner.id)])
    db.session.commit()
    return team


class AlreadyMember(ValueError):
    """The user is a member of the team already; the message is for the user."""


def find_teams(name: str) -> list[Team]:
    """Every team called `name` (any case), oldest first: names are not unique."""
    return list(
        db.session.scalars(
            select(Team).where(func.lower(Team.name) == name.strip().lower()).order_by(Team.id)
        )
    )


def member_counts(team_ids: list[int]) -> dict[int, int]:
    """How many members each of `team_ids` has."""
    rows = db.session.execute(
        select(Membership.team_id, func.count())
        .where(Membership.team_id.in_(team_ids))
        .group_by(Membership.team_id)
    )
    return {team_id: count for team_id, count in rows}


def add_member(team: Team, user: User, role: Role, actor: Actor) -> Membership:
    """Make `user` a member of `team` with `role` (the actor adds them, without an invitation);
    AlreadyMember if they are one."""
    if db.session.get(Membership, (team.id, user.id)) is not None:
        raise AlreadyMember(f"{user.username} is already a member of {team.name}.")
    membership = Membership(team_id=team.id, user_id=user.id, role=role)
    db.session.add(membership)
    target = f"{named('user', user.id, user.username)} as {role.label}"
    record(Event("member.added", actor, team.id, target))
    caching.changed_after_commit(db.session, [seats_guard(user.id)])
    db.session.commit()
    return membership


def going(team_ids: Sequence[int]) -> None:
    """Once the transaction commits, no process trusts a cached seat in or token of the teams
    `team_ids` (they are being deleted)."""
    members = select(Membership.user_id).where(Membership.team_id.in_(team_ids))
    hashes = select(ApiToken.token_hash).where(ApiToken.team_id.in_(team_ids))
    guards = {seats_guard(user_id) for user_id in db.session.scalars(members)}
    caching.changed_after_commit(db.session, [*guards, *db.session.scalars(hashes)])
