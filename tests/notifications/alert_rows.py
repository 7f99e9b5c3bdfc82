"""Alert rules, alerts and deliveries made directly in the tables, as the rules' evaluation
would leave them."""

from datetime import UTC, datetime, timedelta

from emolytics.accounts import sealed
from emolytics.extensions import db
from emolytics.pipeline import datasets
from emolytics.tables import Alert, AlertDelivery, AlertRule
from tests.conftest import team_of

SECRET = "rule secret"
WINDOW = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)


def make_alert(
    webhook_url: str | None = None,
    emails: tuple[str, ...] = (),
    dataset_name: str = "Tram feed",
    team_id: int | None = None,
    dataset_id: int | None = None,
    window_start: datetime = WINDOW,
) -> int:
    """An anger-share rule on a new dataset of ada's team with its alert of 14:00-15:00 and
    pending deliveries (a webhook if `webhook_url`, an email per address); the alert's id.
    `dataset_id`: on that dataset instead. Inside an app context."""
    team_id = team_id or team_of("ada")
    if dataset_id is None:
        dataset_id = datasets.create_feed(team_id, dataset_name).id
    rule = AlertRule(
        team_id=team_id,
        dataset_id=dataset_id,
        metric="emotion_share",
        emotion="anger",
        keyword=None,
        direction="rise",
        sensitivity="unusual",
        webhook_url=webhook_url,
        webhook_secret=sealed.seal(SECRET) if webhook_url else None,
    )
    db.session.add(rule)
    db.session.flush()
    alert = Alert(
        rule_id=rule.id,
        team_id=team_id,
        dataset_id=dataset_id,
        window_start=window_start,
        window_end=window_start + timedelta(hours=1),
        texts=120,
        observed=0.25,
        expected=0.08,
        ratio=3.125,
        p_value=1.2e-7,
        direction="rise",
        baseline="hour of day",
        created_at=window_start + timedelta(hours=1, minutes=1),
    )
    db.session.add(alert)
    db.session.flush()
    if webhook_url:
        db.session.add(AlertDelivery(alert_id=alert.id, channel="webhook", target=webhook_url))
    for address in emails:
        db.session.add(AlertDelivery(alert_id=alert.id, channel="email", target=address))
    db.session.commit()
    return alert.id
