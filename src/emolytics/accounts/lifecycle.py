"""An account's standing: turned off and on (CLI), or deleted with everything it owns.

Deleting an account deletes its personal team and every other team it is the only member of,
with their data; it is refused while it is the only owner of a team that has other members.
"""

from collections.abc import Sequence

from sqlalchemy import delete, func, select

from emolytics import caching
from emolytics.accounts import teams
from emolytics.accounts.cached import revoke_everything_of
from emolytics.accounts.errors import OwnerNeeded, WrongPassword
from emolytics.accounts.sessions import end_other_sessions
from emolytics.extensions import db
from emolytics.pipeline import jobs
from emolytics.tables import LoginEvent, Membership, Role, Team, User


def set_active(user: User, active: bool) -> None:
    """Turn an account off (its sessions and tokens stop at once) or on again."""
    user.active = active
    if not active:
        revoke_everything_of(user)
        end_other_sessions(user, keep=None)
    db.session.commit()


def delete_account(user: User, password: str) -> None:
    """Remove `user` and the teams that go with them once `password` confirms it
    (WrongPassword if not; OwnerNeeded while a team would be left without an owner): queued
    work first, then the rows."""
    if not user.check_password(password):
        raise WrongPassword("The password is not correct.")
    remove_account(user, teams_going_with(user))


def teams_going_with(user: User) -> list[int]:
    """The teams deleted with `user`'s account: their personal team and the teams they are
    the only member of. OwnerNeeded when they are the only owner of a team with others."""
    members = func.count(Membership.user_id)
    owners = func.count(Membership.user_id).filter(Membership.role == Role.OWNER)
    theirs = select(Membership.team_id).where(Membership.user_id == user.id)
    rows = db.session.execute(
        select(Team.id, Team.name, Team.personal_user_id, members, owners)
        .join(Membership, Membership.team_id == Team.id)
        .where(Team.id.in_(theirs))
        .group_by(Team.id, Team.name, Team.personal_user_id)
    ).all()
    role_in = dict(
        db.session.execute(
            select(Membership.team_id, Membership.role).where(Membership.user_id == user.id)
        ).all()
    )
    stranded = [
        name
        for team_id, name, personal_user_id, member_count, owner_count in rows
        if personal_user_id != user.id
        and member_count > 1
        and owner_count == 1
        and role_in[team_id] == Role.OWNER
    ]
    if stranded:
        raise OwnerNeeded(sorted(stranded))
    return [
        team_id
        for team_id, _, personal_user_id, member_count, _ in rows
        if personal_user_id == user.id or member_count == 1
    ]


def remove_account(user: User, team_ids: Sequence[int]) -> None:
    """Remove `user` with the teams `team_ids` and everything in them (datasets, texts,
    results, jobs, models, tokens), in the database and in the queue."""
    revoke_everything_of(user)
    teams.going(team_ids)
    caching.changed_after_commit(db.session, [teams.seats_guard(user.id)])

    def with_the_account() -> None:
        db.session.execute(delete(LoginEvent).where(LoginEvent.user_id == user.id))
        db.session.delete(user)

    jobs.delete_teams(team_ids, with_the_account)
