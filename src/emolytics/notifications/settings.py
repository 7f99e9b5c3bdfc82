"""A member's notification settings in a team: whether the team's alerts are emailed to them
(`Membership.alert_email`), and their digests (daily or weekly, of the whole team or of one of
its datasets). Any role may ask for what it can read: every dataset of the team.

Every call takes the user's id and the team's: a dataset or a digest of another team, or
another member's digest, is not found (DatasetNotFound, DigestNotFound: 404 at the edges).
"""

from dataclasses import dataclass

from sqlalchemy import delete, select

from emolytics.extensions import db
from emolytics.notifications.digest_numbers import period_of
from emolytics.pipeline import datasets
from emolytics.tables import Dataset, DigestSubscription, Membership, utcnow

PERIODS = ("daily", "weekly")


class DigestNotFound(LookupError):
    """No such digest of this member in this team."""


class DigestRefused(ValueError):
    """A digest that cannot be added; the message is for the user."""


@dataclass(frozen=True, slots=True)
class Digest:
    id: int
    period: str
    covers: str  # "the whole team", or the dataset's name


@dataclass(frozen=True, slots=True)
class Settings:
    alert_email: bool
    digests: list[Digest]
    datasets: list[tuple[int, str]]  # what a digest may cover: (id, name), newest first


def settings_of(user_id: int, team_id: int) -> Settings:
    membership = db.session.get(Membership, (team_id, user_id))
    rows = db.session.execute(
        select(DigestSubscription.id, DigestSubscription.period, Dataset.name)
        .outerjoin(Dataset, Dataset.id == DigestSubscription.dataset_id)
        .where(DigestSubscription.user_id == user_id, DigestSubscription.team_id == team_id)
        .order_by(DigestSubscription.id)
    )
    return Settings(
        alert_email=bool(membership and membership.alert_email),
        digests=[Digest(id, period, name or "the whole team") for id, period, name in rows],
        datasets=[(dataset.id, dataset.name) for dataset in datasets.list_for(team_id)],
    )


def set_alert_email(user_id: int, team_id: int, wanted: bool) -> bool:
    """Email the team's alerts to the member (or stop); whether anything changed."""
    membership = db.session.get(Membership, (team_id, user_id))
    if membership is None or membership.alert_email == wanted:
        return False
    membership.alert_email = wanted
    db.session.commit()
    return True


def add_digest(user_id: int, team_id: int, period: str, dataset_id: int | None) -> None:
    """A digest of the dataset (None: of the whole team); DatasetNotFound for a dataset not of
    the team, DigestRefused for an unknown period or a digest the member has already."""
    if period not in PERIODS:
        raise DigestRefused("A digest is daily or weekly.")
    if dataset_id is not None:
        datasets.owned(team_id, dataset_id)
    same = select(DigestSubscription.id).where(
        DigestSubscription.user_id == user_id,
        DigestSubscription.team_id == team_id,
        DigestSubscription.period == period,
        DigestSubscription.dataset_id.is_(None)
        if dataset_id is None
        else DigestSubscription.dataset_id == dataset_id,
    )
    if db.session.scalar(same) is not None:
        raise DigestRefused("You have that digest already.")
    # the period that ended before it was asked for counts as sent: the first digest is of
    # the next one (a weekly digest asked for on a Wednesday comes on the Monday after)
    sent_through = period_of(period, utcnow()).start
    db.session.add(
        DigestSubscription(
            user_id=user_id,
            team_id=team_id,
            dataset_id=dataset_id,
            period=period,
            sent_through=sent_through,
        )
    )
    db.session.commit()


def remove_digest(user_id: int, team_id: int, digest_id: int) -> None:
    """Stop one of the member's digests in the team; DigestNotFound if it is not one."""
    removed = db.session.execute(
        delete(DigestSubscription).where(
            DigestSubscription.id == digest_id,
            DigestSubscription.user_id == user_id,
            DigestSubscription.team_id == team_id,
        )
    )
    if removed.rowcount != 1:
        db.session.rollback()
        raise DigestNotFound(digest_id)
    db.session.commit()
