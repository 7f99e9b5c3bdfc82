"""Webhook deliveries against a receiver on loopback: signature, answers, refusals."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from emolytics import outbound
from emolytics.notifications import webhooks

SECRET = "rule-secret"


def test_a_delivery_is_signed_over_the_exact_body(receiver):
    body = webhooks.body("Anger rose", {"observed": 24, "expected": 8.1})

    attempt = webhooks.post(receiver.url, body, SECRET, allow_private=True)

    assert attempt.delivered and attempt.status == 200
    headers, sent = receiver.received[0]
    assert sent == body
    numbers = {"observed": 24, "expected": 8.1}
    assert json.loads(sent) == {"text": "Anger rose", "emolytics": numbers}
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers[webhooks.SIGNATURE_HEADER] == f"sha256={expected}"
    assert headers["Content-Type"] == "application/json"
    assert headers["Host"] == f"127.0.0.1:{receiver.server.server_port}"


def test_an_error_answer_is_a_failed_attempt_with_its_status(receiver):
    receiver.status = 503

    attempt = webhooks.post(receiver.url, b"{}", SECRET, allow_private=True)

    assert not attempt.delivered
    assert attempt.status == 503
    assert attempt.error == "the receiver answered 503"


def test_redirects_are_not_followed(receiver):
    receiver.status = 302

    attempt = webhooks.post(receiver.url, b"{}", SECRET, allow_private=True)

    assert not attempt.delivered and attempt.status == 302
    assert "redirects are not followed" in attempt.error
    assert len(receiver.received) == 1  # nothing was sent to the Location


def test_private_addresses_are_refused_unless_allowed(receiver):
    attempt = webhooks.post(receiver.url, b"{}", SECRET)

    assert not attempt.delivered and attempt.status is None
    assert "private, loopback or link-local" in attempt.error
    assert receiver.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8080/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_inside_addresses_are_refused(url):
    with pytest.raises(outbound.Refused, match="public addresses only"):
        outbound.check(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "starts with https://"),
        ("https:///nohost", "starts with https://"),
        ("not a url", "starts with https://"),
        ("https://user:pw@example.com/hook", "no user name or password"),
        ("https://example.com:99999/hook", "not a valid URL"),
        ("https://" + "a" * 2001, "at most 2000 characters"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(outbound.Refused, match=message):
        outbound.check(url)


def test_a_public_address_passes_the_check():
    destination = outbound.check("https://93.184.215.14:8443/services/T0/B0?x=1")

    assert destination.address == "93.184.215.14"
    assert (destination.port, destination.target) == (8443, "/services/T0/B0?x=1")


def test_an_unreachable_receiver_is_a_failed_attempt(receiver):
    url = receiver.url
    receiver.server.shutdown()
    receiver.server.server_close()

    attempt = webhooks.post(url, b"{}", SECRET, allow_private=True, timeout=2)

    assert not attempt.delivered and attempt.status is None
    assert attempt.error == "the receiver could not be reached"


def test_retries_back_off_then_give_up():
    waits = [webhooks.retry_after(n) for n in range(1, webhooks.ATTEMPTS + 1)]

    assert waits[:-1] == sorted(waits[:-1])
    assert waits[0] == timedelta(minutes=1)
    assert waits[-1] is None
