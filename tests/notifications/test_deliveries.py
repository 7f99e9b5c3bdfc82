"""Sending alerts' deliveries: signed webhooks to a loopback receiver, emails through a local
SMTP server, retries with backoff, failures, the delivery log, one claim per delivery."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.notifications import deliveries, webhooks
from emolytics.tables import AlertDelivery
from tests.mailbox import free_port
from tests.notifications.alert_rows import SECRET, WINDOW, make_alert

NOW = WINDOW + timedelta(hours=1, minutes=2)


def log_of(app) -> list[tuple]:
    """The delivery log, as the alerts pages show it."""
    with app.app_context():
        rows = db.session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()
        return [
            (d.channel, d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at)
            for d in rows
        ]


@pytest.fixture
def private_app(app_factory, app):
    """The app with private webhook addresses allowed (the loopback receiver is one)."""
    return app_factory(WEBHOOK_ALLOW_PRIVATE=True)


def test_a_webhook_is_delivered_signed_with_the_alerts_numbers(private_app, receiver):
    receiver.secret = SECRET
    with private_app.app_context():
        make_alert(webhook_url=receiver.url)
        assert deliveries.send_due(NOW) == 1

    [(headers, body)] = receiver.received
    assert receiver.signed(headers, body)
    sent = json.loads(body)
    assert sent["text"].startswith(
        "Tram feed: the share of anger rose to 25.0%, against 8.0% expected (3.1 times the "
        "usual), in 2026-12-03 14:00–15:00 UTC."
    )
    numbers = sent["emolytics"]
    assert (numbers["observed"], numbers["expected"], numbers["texts"]) == (0.25, 0.08, 120)
    assert numbers["window_start"] == "2026-12-03T14:00:00+00:00"
    assert numbers["url"].endswith("?start=2026-12-03T14:00&end=2026-12-03T14:00")
    # the anger rule's texts: the angry ones of that hour, in the texts table
    texts = "/texts?label=anger&start=2026-12-03T14:00&end=2026-12-03T14:00"
    assert numbers["texts_url"].endswith(texts)
    assert log_of(private_app) == [("webhook", "delivered", 1, 200, None, None)]
    with private_app.app_context():
        assert deliveries.send_due(NOW + timedelta(hours=1)) == 0  # delivered once
    assert len(receiver.received) == 1


def test_a_failing_receiver_is_tried_again_with_backoff_then_given_up(private_app, receiver):
    receiver.status = 500
    with private_app.app_context():
        make_alert(webhook_url=receiver.url)
        assert deliveries.send_due(NOW) == 1
        assert deliveries.send_due(NOW + timedelta(seconds=59)) == 0  # not due yet
    retry_at = NOW + webhooks.retry_after(1)
    error = "the receiver answered 500"
    assert log_of(private_app) == [("webhook", "pending", 1, 500, error, retry_at)]

    moment = retry_at
    for attempts in range(2, webhooks.ATTEMPTS + 1):
        with private_app.app_context():
            assert deliveries.send_due(moment) == 1
        wait = webhooks.retry_after(attempts)
        moment = moment + wait if wait else moment
    assert len(receiver.received) == webhooks.ATTEMPTS
    assert log_of(private_app) == [("webhook", "failed", webhooks.ATTEMPTS, 500, error, None)]
    with private_app.app_context():
        assert deliveries.send_due(moment + timedelta(days=1)) == 0


def test_a_receiver_that_recovers_gets_the_alert(private_app, receiver):
    receiver.status = 503
    with private_app.app_context():
        make_alert(webhook_url=receiver.url)
        deliveries.send_due(NOW)
        receiver.status = 200
        deliveries.send_due(NOW + timedelta(minutes=1))
        delivered_at = db.session.scalar(select(AlertDelivery.delivered_at))
    assert log_of(private_app) == [("webhook", "delivered", 2, 200, None, None)]
    assert delivered_at == NOW + timedelta(minutes=1)


def test_private_addresses_are_refused_by_default(app, receiver):
    with app.app_context():
        make_alert(webhook_url=receiver.url)
        deliveries.send_due(NOW)
    [(channel, status, attempts, last_status, error, retry_at)] = log_of(app)
    assert (channel, status, attempts, last_status, retry_at) == (
        "webhook",
        "failed",
        1,
        None,
        None,
    )
    assert "private, loopback or link-local" in error
    assert receiver.received == []


def test_private_addresses_are_allowed_by_the_environment(app_factory, app, receiver, monkeypatch):
    monkeypatch.setenv("EMOLYTICS_WEBHOOK_ALLOW_PRIVATE", "1")
    allowing = app_factory()
    with allowing.app_context():
        make_alert(webhook_url=receiver.url)
        deliveries.send_due(NOW)
    assert log_of(allowing) == [("webhook", "delivered", 1, 200, None, None)]
    assert len(receiver.received) == 1


def test_a_claimed_delivery_is_not_sent_by_another_process(private_app, app_factory, receiver):
    other = app_factory(WEBHOOK_ALLOW_PRIVATE=True)
    with private_app.app_context():
        make_alert(webhook_url=receiver.url)
        delivery_id = db.session.scalar(select(AlertDelivery.id))
        assert deliveries._claim(delivery_id, NOW)  # this process holds the lease
    with other.app_context():
        assert deliveries.send_due(NOW) == 0
        assert deliveries.send_due(NOW + deliveries.LEASE) == 1  # the holder died: taken over
    assert len(receiver.received) == 1


def test_an_email_names_the_dataset_rule_window_and_numbers(app_factory, app, smtp):
    url, inbox = smtp
    mailing = app_factory(SMTP_URL=url, PUBLIC_URL="https://emolytics.example.org")
    with mailing.app_context():
        make_alert(emails=("ada@example.org", "bob@example.org"))
        assert deliveries.send_due(NOW) == 2

    assert sorted(message["To"] for message in inbox.messages) == [
        "ada@example.org",
        "bob@example.org",
    ]
    message = inbox.messages[0]
    assert message["Subject"] == "Alert on Tram feed: the share of anger rose"
    body = message.get_content()
    assert "Window:   2026-12-03 14:00–15:00 UTC (120 texts)" in body
    assert "Observed: 25.0%" in body and "Expected: 8.0% (3.1 times the usual)" in body
    link = r"https://emolytics\.example\.org/datasets/\d+"
    window = r"start=2026-12-03T14:00&end=2026-12-03T14:00"
    assert re.search(rf"See that window on the dashboard: {link}\?{window}\r?\n", body)
    assert re.search(rf"Read its texts: {link}/texts\?label=anger&{window}\r?\n", body)
    assert "settings: https://emolytics.example.org/teams/" in body
    assert [row[:3] for row in log_of(mailing)] == [("email", "delivered", 1)] * 2


def test_an_email_the_server_refuses_is_tried_again(app_factory, app):
    failing = app_factory(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody listens
    with failing.app_context():
        make_alert(emails=("ada@example.org",))
        deliveries.send_due(NOW)
    [(channel, status, attempts, _, error, retry_at)] = log_of(failing)
    assert (channel, status, attempts, retry_at) == (
        "email",
        "pending",
        1,
        NOW + timedelta(minutes=1),
    )
    assert error.startswith("The mail server did not take the message")
