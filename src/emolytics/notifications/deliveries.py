"""Sending alerts' deliveries: webhook POSTs and emails, each attempt recorded, retried with
backoff, then given up.

`send_due` runs every minute in whichever process claims the period (scheduler); it may also
overlap with a slow run of the minute before, or a CLI call. Each due delivery is claimed on
its own by an UPDATE that moves `next_attempt_at` ahead (a lease) only if it is still due: the
one process whose UPDATE changes the row sends it, so a delivery is sent once. A process that
dies mid-attempt leaves the delivery due again when the lease ends.

A webhook refused by the URL check (a private address, a name that does not resolve) fails at
once: nothing is sent, and trying again would be refused again. Any other failure is tried
again after `webhooks.retry_after` until the attempts run out (FAILED).
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, or_, select, update

from emolytics import mail, outbound
from emolytics.accounts import sealed
from emolytics.extensions import db
from emolytics.notifications import messages, webhooks
from emolytics.tables import Alert, AlertDelivery, AlertRule, Dataset, DeliveryStatus

LEASE = timedelta(minutes=5)  # longer than a webhook's timeouts or an SMTP exchange
BATCH = 200  # deliveries looked at per run; the rest wait for the next minute


class Undeliverable(Exception):
    """This delivery can never succeed as it stands; the message says why."""


def send_due(now: datetime) -> int:
    """Send every pending delivery due at `now` that this process claims; how many it tried."""
    due = db.session.scalars(
        select(AlertDelivery.id)
        .where(_due(now))
        .order_by(AlertDelivery.next_attempt_at, AlertDelivery.id)
        .limit(BATCH)
    ).all()
    tried = 0
    for delivery_id in due:
        if _claim(delivery_id, now):
            _attempt(delivery_id, now)
            tried += 1
    return tried


def _due(now: datetime) -> ColumnElement[bool]:
    return (AlertDelivery.status == DeliveryStatus.PENDING) & or_(
        AlertDelivery.next_attempt_at.is_(None), AlertDelivery.next_attempt_at <= now
    )


def _claim(delivery_id: int, now: datetime) -> bool:
    """Whether this process won the delivery (its lease starts now)."""
    claimed = db.session.execute(
        update(AlertDelivery)
        .where(AlertDelivery.id == delivery_id, _due(now))
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _attempt(delivery_id: int, now: datetime) -> None:
    delivery = db.session.get(AlertDelivery, delivery_id)
    if delivery is None:  # its alert was deleted (with its rule or dataset) since the claim
        return
    alert = db.session.get(Alert, delivery.alert_id)
    rule = db.session.get(AlertRule, alert.rule_id)
    dataset_name = db.session.scalar(select(Dataset.name).where(Dataset.id == alert.dataset_id))
    told = messages.tell(alert, rule, dataset_name or f"dataset {alert.dataset_id}")
    try:
        if delivery.channel == "webhook":
            status, error = _post(delivery.target, rule, told)
        else:
            status, error = None, _email(delivery.target, told)
    except Undeliverable as refusal:
        _record(delivery, now, None, str(refusal), final=True)
    else:
        _record(delivery, now, status, error)
    db.session.commit()


def _post(url: str, rule: AlertRule, told: messages.Told) -> tuple[int | None, str | None]:
    allow_private = current_app.config["WEBHOOK_ALLOW_PRIVATE"]
    if rule.webhook_secret is None:
        raise Undeliverable("the rule has no webhook secret")
    try:
        secret = sealed.unseal(rule.webhook_secret)
    except sealed.Unreadable as error:
        raise Undeliverable("the rule's webhook secret cannot be read (SECRET_KEY?)") from error
    try:
        outbound.check(url, allow_private)
    except outbound.Refused as error:
        raise Undeliverable(str(error)) from error
    attempt = webhooks.post(url, webhooks.body(told.text, told.details), secret, allow_private)
    return attempt.status, attempt.error


def _email(address: str, told: messages.Told) -> str | None:
    try:
        mail.send(address, told.subject, told.body)
    except mail.MailNotSent as error:
        return str(error)
    return None


def _record(
    delivery: AlertDelivery,
    now: datetime,
    status: int | None,
    error: str | None,
    final: bool = False,
) -> None:
    """Note one attempt: delivered, to be tried again after the backoff, or failed."""
    delivery.attempts += 1
    delivery.last_status = status
    delivery.last_error = error[:300] if error else None
    delivery.updated_at = now
    wait = None if final else webhooks.retry_after(delivery.attempts)
    if error is None:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif wait is None:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + wait
