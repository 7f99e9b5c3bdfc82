"""Secrets the database keeps but must not show: sealed with a key derived from SECRET_KEY.

A key in SECRET_KEY_FALLBACKS (Flask's list of previous keys) still opens what it sealed, so
the secret key can be rotated without locking anyone out; opened secrets are not re-sealed.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PURPOSE = b"emolytics second factor secrets"


class Unreadable(Exception):
    """A sealed secret that none of the configured keys opens (SECRET_KEY changed)."""


def _key(secret_key: str | bytes) -> Fernet:
    raw = secret_key.encode() if isinstance(secret_key, str) else secret_key
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(raw)
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    config = current_app.config
    keys = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    return MultiFernet([_key(key) for key in keys])


def seal(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    """The secret; Unreadable when no configured key opens it."""
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise Unreadable() from error
