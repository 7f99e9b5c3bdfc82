"""Where each server-side session was used from, for the activity page.

A session is bound to its browser, not to its network: a phone moving from Wi-Fi to mobile
data keeps its session, and the new address is recorded instead. Recording costs no write per
request: the user loader keeps each session's latest address with it (cached), and writes only
when a request comes from another address or when the once-a-minute last-seen stamp is due.
"""

from datetime import datetime

from sqlalchemy import Executable, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from emolytics.extensions import db
from emolytics.tables import SessionAddress, UserSession

ADDRESSES_KEPT = 20  # per session, the most recently used; older ones are forgotten


def use(session_id: int, ip: str | None, now: datetime, *, moved: bool) -> list[Executable]:
    """The statements that record a use of session `session_id` from `ip` at `now`.

    `moved`: `ip` is not the address of the session's previous request; only then can an
    address be new, and the oldest beyond ADDRESSES_KEPT are forgotten.
    """
    statements: list[Executable] = [
        update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now, ip=ip)
    ]
    if ip is None:
        return statements
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statements.append(
        insert(SessionAddress)
        .values(session_id=session_id, ip=ip, first_seen_at=now, last_seen_at=now)
        .on_conflict_do_update(index_elements=["session_id", "ip"], set_={"last_seen_at": now})
    )
    if moved:
        newest = (
            select(SessionAddress.ip)
            .where(SessionAddress.session_id == session_id)
            .order_by(SessionAddress.last_seen_at.desc())
            .limit(ADDRESSES_KEPT)
        )
        statements.append(
            delete(SessionAddress).where(
                SessionAddress.session_id == session_id, SessionAddress.ip.not_in(newest)
            )
        )
    return statements
