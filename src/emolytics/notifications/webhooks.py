"""Webhook deliveries: where a rule may send, how the body is signed, one signed POST.

A rule's URL is checked (`outbound.check`) when the rule is saved and again at every delivery:
only public addresses unless the administrator allows private ones
(`EMOLYTICS_WEBHOOK_ALLOW_PRIVATE=1`). Redirects are not followed: a 3xx answer is a failed
delivery.

The body is JSON that Slack and Mattermost incoming webhooks take as is (`text`), with the
structured numbers beside it. `X-Emolytics-Signature: sha256=<hex>` is the HMAC-SHA256 of the
exact body bytes under the rule's secret; a receiver recomputes it to know the sender.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import urllib3

from emolytics import outbound

SIGNATURE_HEADER = "X-Emolytics-Signature"
USER_AGENT = "Emolytics-Webhook/1"
# The waits before the 2nd, 3rd, ... attempt; after the last, the delivery has failed for good.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
ATTEMPTS = len(BACKOFF) + 1


@dataclass(frozen=True)
class Attempt:
    """One try at a delivery, as the delivery log shows it."""

    status: int | None  # the receiver's HTTP status; None: no answer
    error: str | None  # what went wrong, for people; None: delivered
    seconds: float

    @property
    def delivered(self) -> bool:
        return self.error is None


def body(text: str, details: dict[str, Any]) -> bytes:
    """The JSON a delivery sends: `text` for chat tools, the numbers under `emolytics`."""
    return json.dumps({"text": text, "emolytics": details}, separators=(",", ":")).encode()


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post(
    url: str,
    body: bytes,
    secret: str,
    allow_private: bool = False,
    timeout: float = outbound.TIMEOUT_SECONDS,
) -> Attempt:
    """POST `body` (JSON) to `url`, signed; one attempt, never raising."""
    started = time.monotonic()
    try:
        destination = outbound.check(url, allow_private)
    except outbound.Refused as error:
        return Attempt(None, str(error), 0.0)
    headers = {
        "Host": destination.host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret, body),
    }
    try:
        with outbound.pool(destination, timeout) as pool:
            answer = pool.urlopen(
                "POST",
                destination.target,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
            )
            answer.drain_conn()
            status = answer.status
    except urllib3.exceptions.HTTPError as error:
        return Attempt(None, outbound.reason(error, "receiver"), time.monotonic() - started)
    seconds = time.monotonic() - started
    if 200 <= status < 300:
        return Attempt(status, None, seconds)
    if 300 <= status < 400:
        refused = f"the receiver answered {status}: redirects are not followed"
        return Attempt(status, refused, seconds)
    return Attempt(status, f"the receiver answered {status}", seconds)


def retry_after(attempts: int) -> timedelta | None:
    """How long to wait before the next try after `attempts` failed ones; None: give up."""
    return BACKOFF[attempts - 1] if 1 <= attempts <= len(BACKOFF) else None
