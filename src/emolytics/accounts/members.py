"""A team's members and settings: roles changed, members removed or leaving, ownership handed
over, the team renamed or deleted.

The rules, checked here for the web pages and the API alike:
- admins manage the members below owner; only an owner makes, unmakes or hands over owners;
- a team always keeps an owner: its last owner cannot leave, be demoted or be removed;
- a personal team stays its user's: they cannot be demoted, removed or leave it, and it cannot
  be deleted (it goes with the account).

Every change locks the team's row first (so two owners demoting each other at once cannot leave
it ownerless), reads the acting member's role from the database, and raises the seat counters of
every user whose seats it changes before it commits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy import func, select, update

from emolytics import caching
from emolytics.accounts import teams
from emolytics.accounts.audit import Actor, Event, named, record
from emolytics.accounts.team_errors import (
    BadSetting,
    LastOwner,
    NotMember,
    PersonalTeam,
    RoleTooLow,
    TeamChangeRefused,
)
from emolytics.extensions import db
from emolytics.pipeline import jobs
from emolytics.tables import Membership, Role, Team, User

Change = TypeVar("Change", bound=Callable[..., Any])


def refused_rolls_back(change: Change) -> Change:
    """A refused change leaves nothing behind and lets go of the team's lock at once."""

    @wraps(change)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return change(*args, **kwargs)
        except TeamChangeRefused:
            db.session.rollback()
            raise

    return run  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    username: str
    role: Role
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class Acting:
    """The team a change is made in, locked, and the role of the member making it."""

    team: Team
    role: Role

    def need(self, role: Role) -> None:
        if self.role < role:
            raise RoleTooLow(self.team.name, self.role, role)


def list_members(team_id: int) -> list[Member]:
    """The team's members: owners first, then by username."""
    rows = db.session.execute(
        select(User.id, User.username, Membership.role, Membership.created_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team_id)
        .order_by(Membership.role.desc(), func.lower(User.username))
    )
    return [Member(*row) for row in rows]


@refused_rolls_back
def change_role(actor: Actor, team_id: int, user_id: int, role: Role) -> Member:
    """Give member `user_id` the role `role`; returns them as they are now."""
    acting = _acting(actor.id, team_id, Role.ADMIN)
    membership = _membership(team_id, user_id)
    if Role.OWNER in (role, membership.role):
        acting.need(Role.OWNER)
    if membership.role == Role.OWNER and role < Role.OWNER:
        _keep_personal_owner(acting.team, user_id, "demoted")
        _keep_an_owner(team_id)
    membership.role = role
    target = f"{_user(user_id)} to {role.label}"
    record(Event("member.role_changed", actor, team_id, target))
    _commit([user_id])
    return _member(team_id, user_id)


@refused_rolls_back
def remove_member(actor: Actor, team_id: int, user_id: int) -> None:
    """Take member `user_id` out of the team (their tokens of the team stop working)."""
    acting = _acting(actor.id, team_id, Role.ADMIN)
    membership = _membership(team_id, user_id)
    if membership.role == Role.OWNER:
        acting.need(Role.OWNER)
    record(Event("member.removed", actor, team_id, _user(user_id)))
    _drop(acting.team, membership, "removed from it")


@refused_rolls_back
def leave(actor: Actor, team_id: int) -> None:
    """The actor leaves the team."""
    acting = _acting(actor.id, team_id, Role.VIEWER)
    record(Event("member.left", actor, team_id, _user(actor.id)))
    _drop(acting.team, _membership(team_id, actor.id), "left")


@refused_rolls_back
def transfer_ownership(actor: Actor, team_id: int, user_id: int) -> None:
    """Make member `user_id` owner in place of the actor, who stays on as admin."""
    actor_id = actor.id
    acting = _acting(actor_id, team_id, Role.OWNER)
    if user_id == actor_id:
        raise BadSetting("You are the owner already: choose another member.")
    membership = _membership(team_id, user_id)
    _keep_personal_owner(acting.team, actor_id, "handed over")
    membership.role = Role.OWNER
    _membership(team_id, actor_id).role = Role.ADMIN
    record(Event("team.ownership_transferred", actor, team_id, _user(user_id)))
    _commit([user_id, actor_id])


@refused_rolls_back
def change_settings(
    actor: Actor, team_id: int, *, name: str, require_second_factor: bool
) -> list[str]:
    """Rename the team (admins) and set whether members need a second factor (owners).

    Returns what changed: "name", "require_second_factor" (nothing: an empty list).
    """
    acting = _acting(actor.id, team_id, Role.ADMIN)
    team = acting.team
    try:
        name = teams.check_name(name)
    except teams.TeamNameError as error:
        raise BadSetting(str(error)) from error
    changed = []
    if name != team.name:
        team.name = name
        changed.append("name")
    if require_second_factor != team.require_second_factor:
        acting.need(Role.OWNER)
        team.require_second_factor = require_second_factor
        changed.append("require_second_factor")
    if changed:
        record(Event("team.settings_changed", actor, team_id, f"changed {', '.join(changed)}"))
    _commit(_member_ids(team_id))
    return changed


@refused_rolls_back
def delete_team(actor: Actor, team_id: int) -> str:
    """Delete the team with its datasets, models, jobs, tokens and invitations; its name."""
    acting = _acting(actor.id, team_id, Role.OWNER)
    team = acting.team
    if team.personal_user_id is not None:
        raise PersonalTeam("A personal team goes with its account: it cannot be deleted.")
    name = team.name
    teams.going([team_id])
    event = Event("team.deleted", actor, team_id, named("team", team_id, name))
    jobs.delete_teams([team_id], before_commit=lambda: record(event))
    return name


# --- inside ------------------------------------------------------------------------------------


def acting_in(actor_id: int | None, team_id: int, needed: Role) -> Acting:
    """The team locked for a change by `actor_id`, who holds `needed` or above in it.

    NotMember when there is no such team or they are not in it; RoleTooLow when their role is
    below `needed`. (For `invitations`, which follows the same rules.)"""
    return _acting(actor_id, team_id, needed)


def _acting(actor_id: int | None, team_id: int, needed: Role) -> Acting:
    _lock_team(team_id)
    row = db.session.execute(
        select(Team, Membership.role)
        .join(Membership, Membership.team_id == Team.id)
        .where(Team.id == team_id, Membership.user_id == actor_id)
    ).first()
    if row is None:
        raise NotMember()
    acting = Acting(row[0], row[1])
    acting.need(needed)
    return acting


def _lock_team(team_id: int) -> None:
    """Hold the team's row until the transaction ends: changes to its members go one at a time
    (on SQLite, the write lock)."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(update(Team).where(Team.id == team_id).values(id=Team.id))
    else:
        db.session.execute(select(Team.id).where(Team.id == team_id).with_for_update())


def _membership(team_id: int, user_id: int) -> Membership:
    membership = db.session.get(Membership, (team_id, user_id))
    if membership is None:
        raise NotMember("No such member in this team.")
    return membership


def _member(team_id: int, user_id: int) -> Member:
    return next(member for member in list_members(team_id) if member.user_id == user_id)


def _user(user_id: int) -> str:
    """A member as the log names them: `user 4 "grace"`."""
    return named("user", user_id, db.session.get(User, user_id).username)


def _member_ids(team_id: int) -> list[int]:
    return list(db.session.scalars(select(Membership.user_id).where(Membership.team_id == team_id)))


def _keep_personal_owner(team: Team, user_id: int, what: str) -> None:
    if team.personal_user_id == user_id:
        raise PersonalTeam(
            f"{team.name} is a personal team: its own user cannot be {what} (it goes with "
            "their account)."
        )


def _keep_an_owner(team_id: int) -> None:
    owners = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.team_id == team_id, Membership.role == Role.OWNER)
    )
    if owners <= 1:
        raise LastOwner()


def _drop(team: Team, membership: Membership, what: str) -> None:
    if membership.role == Role.OWNER:
        _keep_personal_owner(team, membership.user_id, what)
        _keep_an_owner(team.id)
    user_id = membership.user_id
    db.session.delete(membership)
    _commit([user_id])


def _commit(user_ids: list[int]) -> None:
    caching.changed_after_commit(db.session, [teams.seats_guard(uid) for uid in user_ids])
    db.session.commit()
