"""Configuration: defaults -> instance/config.py -> environment -> overrides.

Every setting a deployment needs has an environment variable; the instance folder holds what
the environment does not give (and the generated secret key).
"""

import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from emolytics.engine import personal_data

SECRET_KEY_FILE = "secret_key"

DEFAULTS: dict[str, Any] = {
    "REGISTRATION_OPEN": True,
    "HTTPS": False,
    "REDIS_URL": None,
    "REDIS_PREFIX": "emolytics",  # of the keys Emolytics itself keeps in Redis
    # How long a process may keep what it found about a session, an API token or a user's
    # datasets; a sign-out, a revocation or an upload is seen at once all the same (see
    # caching). 0: never keep anything.
    "CACHE_SECONDS": 10,
    "PROXY_COUNT": 0,
    "MAX_CONTENT_LENGTH": 200 * 1024 * 1024,
    # Argon2id cost; OWASP's minimum is m=19 MiB, t=2, p=1, and we never go below it.
    "ARGON2_MEMORY_KIB": 19 * 1024,
    "ARGON2_TIME_COST": 2,
    "ARGON2_PARALLELISM": 1,
    "LOGIN_RATE_LIMIT": "10 per minute;100 per hour",
    "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute;30 per hour",
    "REGISTER_RATE_LIMIT": "5 per minute;20 per hour",
    # Flask-Limiter's switch for the per-address limits above (the per-account delay after
    # failed sign-ins stays either way). Set here so that every app says it: the limiter is one
    # object, and without it an app would inherit the previous app's choice.
    "RATELIMIT_ENABLED": True,
    # How long the second step of a sign-in waits after a correct password.
    "SECOND_FACTOR_PENDING_SECONDS": 300,
    # Passkeys: the relying party's id (a domain) and the origin pages are served from;
    # None: the request's host and its origin.
    "WEBAUTHN_RP_ID": None,
    "WEBAUTHN_ORIGIN": None,
    "WEBAUTHN_RP_NAME": "Emolytics",
    # Tests only: a file holding the time (seconds since the epoch) authenticator codes are
    # checked at, when it exists. Never set in a deployment.
    "TOTP_TEST_CLOCK_FILE": None,
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session it belongs to
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": "&copy; OpenStreetMap contributors",
    "ANALYSIS_CHUNK": 1000,  # texts analysed and committed together
    "RQ_QUEUE": "emolytics",
    "JOB_STALE_SECONDS": 120,  # a running part silent this long is taken over by another worker
    # Texts an analysis part works through before it goes to the back of the queue, so that
    # analyses take turns (a million texts: 20 turns, a few milliseconds each).
    "JOB_SLICE_TEXTS": 50_000,
    # Quotas (0: none). Stored rows count every dataset of the owner (of the team, with teams).
    "MAX_UPLOAD_ROWS": 5_000_000,
    "MAX_STORED_ROWS": 20_000_000,
    # Outgoing mail (invitations): smtp://user:pass@host:25, smtp://host:587?starttls=1 or
    # smtps://host:465; None: nothing is emailed (pages show the links to pass on instead).
    "SMTP_URL": None,
    "MAIL_FROM": "emolytics@localhost",
    "SMTP_TIMEOUT_SECONDS": 10,
    "AUDIT_RETENTION_DAYS": 365,  # audit events older than this are deleted daily (0: kept)
    "SCHEDULER_TICK_SECONDS": 30,  # how often a process looks for periodic tasks that are due
    # Alert webhooks may go to private, loopback and link-local addresses (an inside chat
    # server); off: a rule cannot be used to reach the inside of the network.
    "WEBHOOK_ALLOW_PRIVATE": False,
    # The same for the feeds a dataset subscribes to (an inside news server).
    "SUBSCRIPTIONS_ALLOW_PRIVATE": False,
    "SUBSCRIPTION_MINUTES": 15,  # how often each subscribed feed is read
    # Where the app is reached, for the links of emails sent by periodic tasks (no request to
    # take it from): alerts and digests.
    "PUBLIC_URL": "http://127.0.0.1:5000",
    # where a phone number written without its country code is, for datasets that mask
    # personal data (ISO 3166: US, GB, AT, ...)
    "PHONE_REGION": "US",
}


def _flag(value: str) -> bool:
    return value.lower() in {"1", "true", "yes", "on"}


# Environment variable -> (config key, parser)
ENVIRONMENT: dict[str, tuple[str, Any]] = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("DATABASE_URL", str),
    "REDIS_URL": ("REDIS_URL", str),
    "EMOLYTICS_REGISTRATION": ("REGISTRATION_OPEN", lambda value: value.lower() == "open"),
    "EMOLYTICS_HTTPS": ("HTTPS", _flag),
    "EMOLYTICS_PROXY_COUNT": ("PROXY_COUNT", int),
    "EMOLYTICS_MAX_UPLOAD_MB": ("MAX_CONTENT_LENGTH", lambda value: int(value) * 1024 * 1024),
    "EMOLYTICS_MAX_UPLOAD_ROWS": ("MAX_UPLOAD_ROWS", int),
    "EMOLYTICS_MAX_STORED_ROWS": ("MAX_STORED_ROWS", int),
    "EMOLYTICS_JOB_QUEUE": ("JOB_QUEUE", str),
    "EMOLYTICS_JOB_PARTS": ("JOB_PARTS", int),
    "EMOLYTICS_RQ_QUEUE": ("RQ_QUEUE", str),
    "EMOLYTICS_JOB_STALE_SECONDS": ("JOB_STALE_SECONDS", int),
    "EMOLYTICS_TILE_URL": ("TILE_URL", str),
    "EMOLYTICS_CACHE_SECONDS": ("CACHE_SECONDS", float),
    "EMOLYTICS_SMTP_URL": ("SMTP_URL", str),
    "EMOLYTICS_MAIL_FROM": ("MAIL_FROM", str),
    "EMOLYTICS_AUDIT_RETENTION_DAYS": ("AUDIT_RETENTION_DAYS", int),
    "EMOLYTICS_SCHEDULER_TICK_SECONDS": ("SCHEDULER_TICK_SECONDS", float),
    "EMOLYTICS_WEBAUTHN_RP_ID": ("WEBAUTHN_RP_ID", str),
    "EMOLYTICS_WEBAUTHN_ORIGIN": ("WEBAUTHN_ORIGIN", str),
    "EMOLYTICS_WEBHOOK_ALLOW_PRIVATE": ("WEBHOOK_ALLOW_PRIVATE", _flag),
    "EMOLYTICS_SUBSCRIPTIONS_ALLOW_PRIVATE": ("SUBSCRIPTIONS_ALLOW_PRIVATE", _flag),
    "EMOLYTICS_SUBSCRIPTION_MINUTES": ("SUBSCRIPTION_MINUTES", int),
    "EMOLYTICS_PUBLIC_URL": ("PUBLIC_URL", str),
    "EMOLYTICS_PHONE_REGION": ("PHONE_REGION", str),
}


def instance_path() -> str:
    """The instance folder: $EMOLYTICS_INSTANCE_PATH, else ./instance."""
    return str(Path(os.environ.get("EMOLYTICS_INSTANCE_PATH", "instance")).resolve())


def load(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for variable, (key, parse) in ENVIRONMENT.items():
        if os.environ.get(variable):
            app.config[key] = parse(os.environ[variable])
    app.config.update(overrides or {})
    _derive(app)


def _derive(app: Flask) -> None:
    """Settings that follow from others."""
    config = app.config
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'emolytics.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = _driver_url(config["DATABASE_URL"])
    config["SESSION_COOKIE_SECURE"] = config["HTTPS"]
    config["REMEMBER_COOKIE_SECURE"] = config["HTTPS"]
    config["PREFERRED_URL_SCHEME"] = "https" if config["HTTPS"] else "http"
    config.setdefault("RATELIMIT_STORAGE_URI", config["REDIS_URL"] or "memory://")
    config.setdefault("JOB_QUEUE", "rq" if config["REDIS_URL"] else "thread")
    # RQ workers share an analysis: each takes one slice of the texts
    config.setdefault("JOB_PARTS", 2 if config["JOB_QUEUE"] == "rq" else 1)
    config["PHONE_REGION"] = str(config["PHONE_REGION"]).strip().upper()
    if not personal_data.is_region(config["PHONE_REGION"]):
        raise ValueError(
            f"PHONE_REGION {config['PHONE_REGION']!r} is no region of phone numbers: "
            "write a country's ISO 3166 code (US, GB, DE, AT, ...)."
        )


def _driver_url(url: str) -> str:
    """PostgreSQL URLs use psycopg 3 whatever spelling the operator chose."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key(folder: Path) -> str:
    """Read the instance's secret key, creating it (mode 0600) on first run.

    Several processes may start at once: each writes a candidate and links it into place; the
    link is atomic, so the first wins and every process reads the same key.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        descriptor, candidate = tempfile.mkstemp(dir=folder, prefix=".secret-")
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(secrets.token_hex(32))
        # If another process linked its key first, that one is the key.
        with contextlib.suppress(FileExistsError):
            os.link(candidate, path)
        os.unlink(candidate)
    return path.read_text().strip()
