"""Webhook deliveries: where a rule may send, how the body is signed, one signed POST.

A rule's URL is checked when the rule is saved and again at every delivery (a name may resolve
elsewhere later): only http and https, and only public addresses unless the administrator
allows private ones (`EMOLYTICS_WEBHOOK_ALLOW_PRIVATE=1`). The request then goes to the very
address that was checked, so a name cannot resolve to a public address for the check and to an
inside one for the connection. Redirects are not followed: a 3xx answer is a failed delivery.

The body is JSON that Slack and Mattermost incoming webhooks take as is (`text`), with the
structured numbers beside it. `X-Emolytics-Signature: sha256=<hex>` is the HMAC-SHA256 of the
exact body bytes under the rule's secret; a receiver recomputes it to know the sender.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import urllib3

SIGNATURE_HEADER = "X-Emolytics-Signature"
USER_AGENT = "Emolytics-Webhook/1"
TIMEOUT_SECONDS = 10.0
# The waits before the 2nd, 3rd, ... attempt; after the last, the delivery has failed for good.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
ATTEMPTS = len(BACKOFF) + 1
MAX_URL_LENGTH = 2000


class WebhookRefused(ValueError):
    """A URL a webhook may not be sent to; the message is for the user."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect (`address`) and what to ask for there."""

    scheme: str
    host: str  # the name, for the Host header and the certificate
    port: int
    target: str  # path and query
    address: str  # the checked IP address connected to


@dataclass(frozen=True)
class Attempt:
    """One try at a delivery, as the delivery log shows it."""

    status: int | None  # the receiver's HTTP status; None: no answer
    error: str | None  # what went wrong, for people; None: delivered
    seconds: float

    @property
    def delivered(self) -> bool:
        return self.error is None


def check(url: str, allow_private: bool = False) -> Destination:
    """The destination of `url` if a webhook may go there; WebhookRefused if not."""
    if len(url) > MAX_URL_LENGTH:
        raise WebhookRefused(f"A webhook URL has at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise WebhookRefused(f"That is not a valid URL ({error}).") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("A webhook URL starts with https:// (or http://) and a host name.")
    if parts.username or parts.password:
        raise WebhookRefused("Put no user name or password in a webhook URL.")
    port = port or (443 if parts.scheme == "https" else 80)
    address = _resolved(parts.hostname, port, allow_private)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, parts.hostname, port, target, address)


def _resolved(host: str, port: int, allow_private: bool) -> str:
    """The first address of `host`, refused if any of its addresses is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise WebhookRefused(f"The host {host} could not be found.") from error
    addresses = [str(entry[4][0]).split("%")[0] for entry in found]
    if not allow_private:
        for address in addresses:
            if not ipaddress.ip_address(address).is_global:
                raise WebhookRefused(
                    f"{host} is a private, loopback or link-local address ({address}): webhooks "
                    "go to public addresses only, unless the administrator allows private ones."
                )
    return addresses[0]


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
    timeout: float = TIMEOUT_SECONDS,
) -> Attempt:
    """POST `body` (JSON) to `url`, signed; one attempt, never raising."""
    started = time.monotonic()
    try:
        destination = check(url, allow_private)
    except WebhookRefused as error:
        return Attempt(None, str(error), 0.0)
    headers = {
        "Host": _host_header(destination),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret, body),
    }
    try:
        with _pool(destination, timeout) as pool:
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
        return Attempt(None, _reason(error), time.monotonic() - started)
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


def _pool(destination: Destination, timeout: float) -> urllib3.HTTPConnectionPool:
    limits = urllib3.Timeout(connect=timeout, read=timeout)
    if destination.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            destination.address,
            destination.port,
            timeout=limits,
            cert_reqs="CERT_REQUIRED",
            assert_hostname=destination.host,
            server_hostname=destination.host,
        )
    return urllib3.HTTPConnectionPool(destination.address, destination.port, timeout=limits)


def _host_header(destination: Destination) -> str:
    default = 443 if destination.scheme == "https" else 80
    host = f"[{destination.host}]" if ":" in destination.host else destination.host
    return host if destination.port == default else f"{host}:{destination.port}"


def _reason(error: Exception) -> str:
    if isinstance(error, urllib3.exceptions.NewConnectionError):  # before: it is a timeout too
        return "the receiver could not be reached"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "the receiver did not answer in time"
    if isinstance(error, urllib3.exceptions.SSLError):
        return "the receiver's certificate was refused"
    return "the receiver could not be reached"
