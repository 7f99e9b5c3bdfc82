"""The record of sign-in attempts, and the growing delay that failures impose on a username."""

from datetime import timedelta

from sqlalchemy import select

from emolytics.accounts.stored import printable
from emolytics.extensions import db
from emolytics.tables import LoginEvent, User, utcnow

# The growing per-account delay: after this many failures in a row, each further failure
# doubles the wait before the next attempt is checked, up to MAX_DELAY.
FREE_FAILURES = 3
MAX_DELAY = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=1)


def remaining_delay(username_key: str) -> int:
    """Seconds to wait before the next attempt for this username is checked (0: none)."""
    now = utcnow()
    recent = db.session.execute(
        select(LoginEvent.success, LoginEvent.at)
        .where(
            LoginEvent.username_key == username_key,
            LoginEvent.throttled.is_(False),
            LoginEvent.at > now - FAILURE_WINDOW,
        )
        .order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
        .limit(FREE_FAILURES + 16)
    ).all()
    failures = 0
    for success, _ in recent:
        if success:
            break
        failures += 1
    if failures < FREE_FAILURES:
        return 0
    delay = min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_DELAY)
    remaining = recent[0].at + delay - now
    return max(0, int(remaining.total_seconds() + 0.999))


def record_attempt(
    username: str,
    user: User | None,
    ip: str | None,
    user_agent: str | None,
    *,
    success: bool,
    throttled: bool = False,
    key: str | None = None,
) -> None:
    """Add the attempt to the session's transaction (the caller commits).

    Its failures count towards the delay of `key` (default: the lower-cased username).
    """
    db.session.add(
        LoginEvent(
            user_id=user.id if user else None,
            username=printable(username, 80) or "",
            username_key=key or printable(username.lower(), 80) or "",
            ip=printable(ip, 64),
            user_agent=printable(user_agent, 300),
            success=success,
            throttled=throttled,
        )
    )


def recent_sign_ins(user: User, limit: int = 50) -> list[LoginEvent]:
    return list(
        db.session.scalars(
            select(LoginEvent)
            .where(LoginEvent.user_id == user.id)
            .order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
            .limit(limit)
        )
    )
