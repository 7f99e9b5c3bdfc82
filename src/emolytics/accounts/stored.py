"""What account records keep of a request: text cut to its column and made printable
(usernames, addresses, browsers), and secrets only as their SHA-256."""

import hashlib


def printable(text: str | None, limit: int) -> str | None:
    """`text` cut to `limit` characters with control characters replaced, for audit columns."""
    if not text:
        return None
    return "".join(char if char.isprintable() else "\ufffd" for char in text[:limit])


def stored_as(raw: str | None, stored: str | None, limit: int) -> bool:
    """Whether `printable(raw, limit)` is `stored`, without building it in the usual case."""
    return (raw is not None and raw[:limit] == stored) or printable(raw, limit) == stored


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
