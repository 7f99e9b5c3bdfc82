"""Authenticator apps (TOTP, RFC 6238): enrol with a QR code, confirm, check codes, disable.

Codes are six digits for 30-second time steps; a code of the step before or after the
server's is accepted too (clocks drift), and no code of a step at or before the newest step
already accepted is taken again, so a code seen over someone's shoulder cannot be replayed.
"""

import hmac
import logging
import time
from pathlib import Path

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, or_, update

from emolytics.accounts import recovery_codes, sealed, sessions
from emolytics.accounts.errors import SecondFactorError, WrongPassword
from emolytics.extensions import db
from emolytics.tables import Passkey, TotpSecret, User, utcnow

log = logging.getLogger(__name__)
ISSUER = "Emolytics"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # steps accepted either side of the server's


def clock() -> float:
    """Now, in seconds since the epoch.

    Test hook: when TOTP_TEST_CLOCK_FILE names a file that exists, the time written in it
    (the browser tests set it; the setting is unset, and this is the real clock, otherwise).
    """
    clock_file = current_app.config.get("TOTP_TEST_CLOCK_FILE")
    if clock_file and Path(clock_file).is_file():
        return float(Path(clock_file).read_text())
    return time.time()


class Enrolment:
    """A secret being set up: what the enrolment page shows."""

    def __init__(self, user: User, secret: str) -> None:
        self.secret = secret
        self.uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four letters, easier to type by hand."""
        return " ".join(self.secret[index : index + 4] for index in range(0, len(self.secret), 4))

    def qr_svg_data_uri(self) -> str:
        """The QR code of the secret as an SVG data URI, drawn here (no outside service)."""
        return segno.make(self.uri, error="m").svg_data_uri(scale=5, border=2)


def enabled(user_id: int) -> bool:
    record = db.session.get(TotpSecret, user_id)
    return record is not None and record.confirmed_at is not None


def start_enrolment(user: User) -> Enrolment:
    """The secret being set up for `user` (a new one unless one is already waiting), committed.

    Raises SecondFactorError when an authenticator app is already active.
    """
    record = db.session.get(TotpSecret, user.id)
    if record is not None and record.confirmed_at is not None:
        raise SecondFactorError("An authenticator app is already set up.")
    if record is None:
        record = TotpSecret(user_id=user.id, sealed_secret=sealed.seal(pyotp.random_base32()))
        db.session.add(record)
        db.session.commit()
    return Enrolment(user, sealed.unseal(record.sealed_secret))


def pending_enrolment(user: User) -> Enrolment | None:
    """The secret waiting for its first code, if any."""
    record = db.session.get(TotpSecret, user.id)
    if record is None or record.confirmed_at is not None:
        return None
    return Enrolment(user, sealed.unseal(record.sealed_secret))


def confirm_enrolment(user: User, code: str, now: float) -> list[str]:
    """Activate the waiting secret with a code from the app; the new recovery codes. Other
    sessions that passed no second factor end (`sessions.require_second_factor`).

    Raises SecondFactorError when nothing waits or the code is not right.
    """
    record = db.session.get(TotpSecret, user.id)
    if record is None or record.confirmed_at is not None:
        raise SecondFactorError("Start the set-up again: no authenticator app is waiting.")
    step = _matching_step(sealed.unseal(record.sealed_secret), code, now)
    if step is None:
        raise SecondFactorError("That code is not right. Check the app's clock and try again.")
    record.confirmed_at = utcnow()
    record.last_step = step
    codes = recovery_codes.replace_codes(user.id)
    sessions.require_second_factor(user)
    db.session.commit()
    return codes


def accept_code(user_id: int, code: str, now: float) -> bool:
    """Whether `code` is a fresh code of `user_id`'s active app; a match is spent (not committed).

    One UPDATE both checks that the step is newer than the last one accepted and records it,
    so two requests cannot both use one code.
    """
    record = db.session.get(TotpSecret, user_id)
    if record is None or record.confirmed_at is None:
        return False
    try:
        secret = sealed.unseal(record.sealed_secret)
    except sealed.Unreadable:
        log.warning("TOTP secret of user %s unreadable: was SECRET_KEY changed?", user_id)
        return False
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    result = db.session.execute(
        update(TotpSecret)
        .where(
            TotpSecret.user_id == user_id,
            or_(TotpSecret.last_step.is_(None), TotpSecret.last_step < step),
        )
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(record)
    return result.rowcount == 1


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step within the drift window whose code is `code`, else None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    generator = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(generator.generate_otp(step), code):
            return step
    return None


def disable(user: User, password: str) -> None:
    """Remove the authenticator app after the password is typed again (WrongPassword if not).

    The recovery codes go too when no passkey remains to be a second factor.
    """
    if not user.check_password(password):
        raise WrongPassword("That password is not correct.")
    db.session.execute(delete(TotpSecret).where(TotpSecret.user_id == user.id))
    if db.session.query(Passkey.id).filter(Passkey.user_id == user.id).first() is None:
        recovery_codes.forget_codes(user.id)
    db.session.commit()
