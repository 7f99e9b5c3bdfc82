"""The alerts a team's rules raised, as pages and the API show them: newest first, each with
its rule and deliveries; and the count of those a member has not seen yet.

A member has seen the team's alerts up to `Membership.alerts_seen_at` (moved to the newest
alert when they open the team's alerts page); the navigation counts the ones after it, in one
query over the index on (team_id, created_at), kept in the short-lived cache under the team's
alerts guard (`guard`), which a new alert, a deleted rule and a page seen raise.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update

from emolytics import caching
from emolytics.extensions import db
from emolytics.notifications import messages
from emolytics.tables import Alert, AlertDelivery, AlertRule, Dataset, Membership

PAGE_SIZE = 100
SHOWN_MAX = 99  # the navigation shows "99+" beyond


@dataclass
class Raised:
    """An alert with its rule, its dataset's name and its deliveries (oldest first)."""

    alert: Alert
    rule: AlertRule
    dataset_name: str
    deliveries: list[AlertDelivery] = field(default_factory=list)

    @property
    def unusual(self) -> str:
        """How unusual, in words, from the p-value."""
        p_value = self.alert.p_value
        if p_value < 1e-6:
            return "extremely unusual"
        if p_value < 0.05 / 720:
            return "very unusual"
        return "unusual"

    @property
    def dashboard_window(self) -> dict[str, str]:
        """The dashboard filters of the alert's texts: its window, its keyword and segment."""
        return messages.window_filters(self.alert, self.rule).as_args()

    @property
    def texts_view(self) -> dict[str, str]:
        """The texts table's view of the texts that raised the alert."""
        return messages.texts_view(self.alert, self.rule)


def guard(team_id: int) -> str:
    """The change counter of the team's alerts (the navigation's cached counts)."""
    return f"alerts:team:{team_id}"


def for_dataset(team_id: int, dataset_id: int, limit: int = PAGE_SIZE) -> list[Raised]:
    return _raised(Alert.team_id == team_id, Alert.dataset_id == dataset_id, limit=limit)


def for_team(team_id: int, limit: int = PAGE_SIZE) -> list[Raised]:
    return _raised(Alert.team_id == team_id, limit=limit)


def _raised(*where: object, limit: int) -> list[Raised]:
    rows = db.session.execute(
        select(Alert, AlertRule, Dataset.name)
        .join(AlertRule, AlertRule.id == Alert.rule_id)
        .join(Dataset, Dataset.id == Alert.dataset_id)
        .where(*where)
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(limit)
    ).all()
    raised = [Raised(alert, rule, name) for alert, rule, name in rows]
    by_alert: dict[int, list[AlertDelivery]] = defaultdict(list)
    if raised:
        deliveries = db.session.scalars(
            select(AlertDelivery)
            .where(AlertDelivery.alert_id.in_([item.alert.id for item in raised]))
            .order_by(AlertDelivery.id)
        )
        for delivery in deliveries:
            by_alert[delivery.alert_id].append(delivery)
    for item in raised:
        item.deliveries = by_alert[item.alert.id]
    return raised


def unseen(team_id: int, user_id: int) -> int:
    """The team's alerts raised since the member last opened the alerts page (at most 100),
    from the short-lived cache."""
    return caching.cache().lookup(
        ("unseen_alerts", str(team_id), str(user_id)),
        guard(team_id),
        lambda: _count_unseen(team_id, user_id),
    )


def _count_unseen(team_id: int, user_id: int) -> int:
    seen_at = (
        select(Membership.alerts_seen_at)
        .where(Membership.team_id == team_id, Membership.user_id == user_id)
        .scalar_subquery()
    )
    recent = (
        select(Alert.id)
        .where(Alert.team_id == team_id, (seen_at.is_(None)) | (Alert.created_at > seen_at))
        .limit(SHOWN_MAX + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(recent)) or 0


def mark_seen(team_id: int, user_id: int, raised: list[Raised]) -> None:
    """The member has seen the team's alerts up to the newest of `raised`."""
    if not raised:
        return
    newest: datetime = max(item.alert.created_at for item in raised)
    db.session.execute(
        update(Membership)
        .where(
            Membership.team_id == team_id,
            Membership.user_id == user_id,
            (Membership.alerts_seen_at.is_(None)) | (Membership.alerts_seen_at < newest),
        )
        .values(alerts_seen_at=newest)
    )
    caching.changed_after_commit(db.session, [guard(team_id)])
    db.session.commit()
