"""Requests the server makes to addresses its users give: alert webhooks, subscribed feeds.

A URL is checked before every request (a name may resolve elsewhere later): only http and
https, no user name or password, and only public addresses unless the administrator allows
private ones (each use has its setting). The request then goes to the very address that was
checked, so a name cannot resolve to a public address for the check and to an inside one for
the connection; a redirect is checked again as a new URL.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

MAX_URL_LENGTH = 2000
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 3


class Refused(ValueError):
    """A URL the server may not send a request to; the message is for the user."""


class Unanswered(Exception):
    """A request that got no usable answer; the message is for the user."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect (`address`) and what to ask for there."""

    scheme: str
    host: str  # the name, for the Host header and the certificate
    port: int
    target: str  # path and query
    address: str  # the checked IP address connected to

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Got:
    """The answer to a GET: its status, headers and body (at most the bytes asked for)."""

    url: str  # where it came from, after redirects
    status: int
    headers: dict[str, str]
    body: bytes


def check(url: str, allow_private: bool = False, noun: str = "webhook") -> Destination:
    """The destination of `url` if a request may go there; Refused if not. `noun` names the
    URL's use in the messages ("webhook", "feed")."""
    if len(url) > MAX_URL_LENGTH:
        raise Refused(f"A {noun} URL has at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused(f"That is not a valid URL ({error}).") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"A {noun} URL starts with https:// (or http://) and a host name.")
    if parts.username or parts.password:
        raise Refused(f"Put no user name or password in a {noun} URL.")
    port = port or (443 if parts.scheme == "https" else 80)
    address = _resolved(parts.hostname, port, allow_private, noun)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, parts.hostname, port, target, address)


def _resolved(host: str, port: int, allow_private: bool, noun: str) -> str:
    """The first address of `host`, refused if any of its addresses is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"The host {host} could not be found.") from error
    addresses = [str(entry[4][0]).split("%")[0] for entry in found]
    if not allow_private:
        for address in addresses:
            if not ipaddress.ip_address(address).is_global:
                raise Refused(
                    f"{host} is a private, loopback or link-local address ({address}): {noun}s "
                    "go to public addresses only, unless the administrator allows private ones."
                )
    return addresses[0]


def pool(destination: Destination, timeout: float) -> urllib3.HTTPConnectionPool:
    """A connection pool to the destination's checked address (its name for TLS); `timeout`
    for connecting and for each read, and for the request in all."""
    limits = urllib3.Timeout(connect=timeout, read=timeout, total=timeout)
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


def get(
    url: str,
    max_bytes: int,
    headers: dict[str, str],
    allow_private: bool = False,
    noun: str = "feed",
    timeout: float = TIMEOUT_SECONDS,
) -> Got:
    """GET `url`, following up to MAX_REDIRECTS redirects (each checked as a new URL), within
    `timeout` seconds for them all; Refused for a URL it may not ask, Unanswered when no answer
    came in time or it is over `max_bytes`."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        destination = check(url, allow_private, noun)
        left = deadline - time.monotonic()
        if left <= 0:
            raise Unanswered("the server did not answer in time")
        got = _get_once(url, destination, max_bytes, headers, left)
        location = got.headers.get("location")
        if got.status not in (301, 302, 303, 307, 308) or not location:
            return got
        url = urljoin(url, location)
    raise Unanswered(f"the {noun} redirected more than {MAX_REDIRECTS} times")


def _get_once(
    url: str, destination: Destination, max_bytes: int, headers: dict[str, str], timeout: float
) -> Got:
    try:
        with pool(destination, timeout) as connections:
            answer = connections.urlopen(
                "GET",
                destination.target,
                headers={"Host": destination.host_header, **headers},
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
            )
            body = answer.read(max_bytes + 1)
            answer.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise Unanswered(reason(error)) from error
    if len(body) > max_bytes:
        raise Unanswered(f"the answer is larger than {max_bytes // 1_000_000} MB")
    found = {name.lower(): value for name, value in answer.headers.items()}
    return Got(url, answer.status, found, body)


def reason(error: Exception, party: str = "server") -> str:
    """Why a request failed, in words (`party`: what the other end is called)."""
    if isinstance(error, urllib3.exceptions.NewConnectionError):  # before: it is a timeout too
        return f"the {party} could not be reached"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return f"the {party} did not answer in time"
    if isinstance(error, urllib3.exceptions.SSLError):
        return f"the {party}'s certificate was refused"
    return f"the {party} could not be reached"
