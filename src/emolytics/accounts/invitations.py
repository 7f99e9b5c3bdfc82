"""Invitations to a team: created by its admins, revoked, accepted once by whoever holds the link.

The link carries a random code; only its sha256 is stored, so the code is shown once when the
invitation is made (and emailed when the invitation names an address and mail is set up) and
cannot be recovered later. An invitation is usable until it is accepted, revoked or expired.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from emolytics import caching, mail
from emolytics.accounts import attempts, members, registration, teams
from emolytics.accounts.audit import Actor, Event, invitation_target, record
from emolytics.accounts.members import refused_rolls_back
from emolytics.accounts.team_errors import BadSetting, NotMember, TeamChangeRefused
from emolytics.extensions import db
from emolytics.tables import Invitation, Membership, Role, Team, User, utcnow

DEFAULT_DAYS = 7
MIN_DAYS = 1
MAX_DAYS = 90
EMAIL_MAX = 254
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class InvitationGone(TeamChangeRefused):
    """The invitation was used, revoked or has expired."""

    status = 410
    code = "invitation_gone"


class AlreadyMember(TeamChangeRefused):
    code = "already_member"


class InvitationNotFound(NotMember):
    def __init__(self) -> None:
        super().__init__("No such invitation: check the link you were given.")


@dataclass(frozen=True, slots=True)
class Created:
    invitation: Invitation
    code: str  # the secret of the link, known only now


@dataclass(frozen=True, slots=True)
class Found:
    """A usable invitation, as its page shows it."""

    invitation: Invitation
    team_name: str


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_days(days: int) -> int:
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise BadSetting(f"An invitation lasts {MIN_DAYS} to {MAX_DAYS} days.")
    return days


def check_email(email: str | None) -> str | None:
    """The address as stored (None for none), or BadSetting."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(email):
        raise BadSetting("That email address does not look right (name@example.org).")
    return email


@refused_rolls_back
def create(
    actor: Actor,
    team_id: int,
    role: Role,
    *,
    days: int = DEFAULT_DAYS,
    email: str | None = None,
    allow_registration: bool = False,
) -> Created:
    """An invitation to join as `role` (admins; an owner invitation only by an owner)."""
    acting = members.acting_in(actor.id, team_id, Role.ADMIN)
    if role == Role.OWNER:
        acting.need(Role.OWNER)
    code = secrets.token_urlsafe(32)
    invitation = Invitation(
        team_id=team_id,
        role=role,
        code_hash=hash_code(code),
        email=check_email(email),
        allow_registration=allow_registration,
        created_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=check_days(days)),
    )
    db.session.add(invitation)
    db.session.flush()
    record(Event("invitation.created", actor, team_id, invitation_target(invitation)))
    db.session.commit()
    return Created(invitation, code)


def send(created: Created, team_name: str, url: str) -> None:
    """Email the link to the invitation's address; mail.MailNotSent if that fails."""
    invitation = created.invitation
    if invitation.email is None:
        raise mail.MailNotSent("The invitation has no email address.")
    mail.send(
        invitation.email,
        f"You are invited to {team_name} on Emolytics",
        f"You are invited to join the team {team_name} on Emolytics as "
        f"{invitation.role.label}.\n\nAccept the invitation here (the link works once, until "
        f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n\n{url}\n",
    )


def pending(team_id: int) -> list[Invitation]:
    """The team's invitations still usable, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.team_id == team_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


@refused_rolls_back
def revoke(actor: Actor, team_id: int, invitation_id: int) -> Invitation:
    """Revoke a pending invitation of the team (admins; an owner invitation only by an owner)."""
    acting = members.acting_in(actor.id, team_id, Role.ADMIN)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.team_id != team_id or not invitation.pending(utcnow()):
        raise NotMember("No such pending invitation.")
    if invitation.role == Role.OWNER:
        acting.need(Role.OWNER)
    invitation.revoked_at = utcnow()
    record(Event("invitation.revoked", actor, team_id, invitation_target(invitation)))
    db.session.commit()
    return invitation


def find(code: str) -> Found:
    """The usable invitation of `code`: InvitationNotFound, or InvitationGone saying why not."""
    row = db.session.execute(
        select(Invitation, Team.name)
        .join(Team, Team.id == Invitation.team_id)
        .where(Invitation.code_hash == hash_code(code))
    ).first()
    if row is None:
        raise InvitationNotFound()
    invitation, team_name = row
    if invitation.accepted_at is not None:
        raise InvitationGone("This invitation has been used already: an invitation works once.")
    if invitation.revoked_at is not None:
        raise InvitationGone("This invitation was revoked: ask the team for a new one.")
    if invitation.expires_at <= utcnow():
        raise InvitationGone("This invitation has expired: ask the team for a new one.")
    return Found(invitation, team_name)


def opens_registration(code: str) -> bool:
    """True when `code` is a usable invitation that lets its invitee register."""
    try:
        return find(code).invitation.allow_registration
    except TeamChangeRefused:
        return False


@refused_rolls_back
def accept(code: str, actor: Actor) -> teams.Seat:
    """Make the actor a member with the invitation's role, using the invitation up."""
    invitation = find(code).invitation
    user_id = actor.id
    current = db.session.get(Membership, (invitation.team_id, user_id))
    if current is not None:
        raise AlreadyMember(f"You are already a member of this team, as {current.role.label}.")
    _join(invitation, actor)
    caching.changed_after_commit(db.session, [teams.seats_guard(user_id)])
    try:
        db.session.commit()
    except IntegrityError as error:  # the same user joined at the same moment another way
        raise AlreadyMember("You are already a member of this team.") from error
    seat = teams.seat(user_id, invitation.team_id)
    assert seat is not None
    return seat


class RegistrationClosed(TeamChangeRefused):
    status = 403
    code = "registration_closed"

    def __init__(self) -> None:
        super().__init__(
            "Registration is closed, and this invitation is for an existing account: "
            "sign in to accept it."
        )


@refused_rolls_back
def register_invited(
    code: str,
    username: str,
    password: str,
    *,
    registration_open: bool,
    ip: str | None,
    user_agent: str | None,
) -> tuple[User, teams.Seat]:
    """Create an account through an invitation and accept it, in one transaction: each
    invitation gives one account at most. While registration is closed, only an invitation
    that allows registration does (RegistrationClosed otherwise)."""
    found = find(code)
    if not (registration_open or found.invitation.allow_registration):
        raise RegistrationClosed()
    user = registration.create_user(username, password)
    invitation = found.invitation
    _join(invitation, Actor(user.id, user.username, ip))
    attempts.record_attempt(username, user, ip, user_agent, success=True)
    caching.changed_after_commit(db.session, [teams.seats_guard(user.id)])
    db.session.commit()
    seat = teams.seat(user.id, invitation.team_id)
    assert seat is not None
    return user, seat


def _join(invitation: Invitation, actor: Actor) -> None:
    """The actor uses the invitation up and joins its team with its role."""
    _claim(invitation, actor.id)
    team_id, role = invitation.team_id, invitation.role
    db.session.add(Membership(team_id=team_id, user_id=actor.id, role=role))
    record(Event("invitation.accepted", actor, team_id, f"joined as {role.label}"))


def _claim(invitation: Invitation, user_id: int | None) -> None:
    """Mark the invitation used by `user_id`, unless another request used it first."""
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .values(accepted_at=utcnow(), accepted_by_id=user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise InvitationGone("This invitation has been used already: an invitation works once.")
