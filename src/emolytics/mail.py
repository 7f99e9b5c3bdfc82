"""Outgoing email through the SMTP server of `SMTP_URL`, with the standard library.

`smtp://user:password@host:25` (plain), `smtp://host:587?starttls=1` (upgraded with STARTTLS)
or `smtps://host:465` (TLS from the start); the user and password are optional and
percent-decoded. Messages come from `MAIL_FROM`. Without `SMTP_URL` nothing is sent and
`configured()` says so, so callers can show what they would have sent instead.
"""

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TRUE_WORDS = {"1", "true", "yes", "on"}


class MailNotSent(Exception):
    """The message could not be handed to the SMTP server; the message says why."""


@dataclass(frozen=True, slots=True)
class Server:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    starttls: bool
    username: str | None
    password: str | None


def server(url: str) -> Server:
    """The SMTP server `url` names; ValueError for a URL that is not one."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("SMTP_URL looks like smtp://user:password@host:25 or smtps://host:465.")
    query = parse_qs(parts.query)
    return Server(
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        tls=parts.scheme == "smtps",
        starttls=query.get("starttls", [""])[0].lower() in TRUE_WORDS,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


@dataclass(frozen=True, slots=True)
class InlineImage:
    """A PNG shown in a message's HTML part as `<img src="cid:{cid}">`."""

    cid: str  # unique in the message, e.g. "mix@emolytics"
    png: bytes


def configured() -> bool:
    return bool(current_app.config["SMTP_URL"])


def send(
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    images: Sequence[InlineImage] = (),
) -> None:
    """Send a plain-text message to `to` (with `html` as its alternative, showing `images`
    inline); MailNotSent when the server cannot be reached or refuses it (and when no server
    is configured)."""
    if not configured():
        raise MailNotSent("No mail server is configured (EMOLYTICS_SMTP_URL).")
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
        html_part = message.get_payload()[1]
        for image in images:
            html_part.add_related(image.png, "image", "png", cid=f"<{image.cid}>")
    try:
        _deliver(server(config["SMTP_URL"]), message, config["SMTP_TIMEOUT_SECONDS"])
    except (OSError, smtplib.SMTPException, ValueError) as error:
        current_app.logger.warning("mail to %s not sent: %s", to, error)
        raise MailNotSent(f"The mail server did not take the message ({error}).") from error


def _deliver(found: Server, message: EmailMessage, timeout: float) -> None:
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if found.tls:
        connection = smtplib.SMTP_SSL(found.host, found.port, timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(found.host, found.port, timeout=timeout)
    with connection:
        if found.starttls:
            connection.starttls(context=context)
        if found.username:
            connection.login(found.username, found.password or "")
        connection.send_message(message)
