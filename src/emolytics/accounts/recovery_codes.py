"""Recovery codes: ten single-use codes for when the second factor is lost.

Each code carries about 79 bits of chance, so its SHA-256 is enough to keep it: the codes
themselves are shown once, when made.
"""

import secrets

from sqlalchemy import delete, func, select, update

from emolytics.accounts.stored import sha256
from emolytics.extensions import db
from emolytics.tables import RecoveryCode, utcnow

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
LENGTH = 16  # shown in groups of four: abcd-efgh-jkmn-pqrs


def normalised(code: str) -> str:
    """The code as hashed: lower case, without the dashes and spaces people type."""
    return "".join(code.lower().replace("-", "").split())


def looks_like_code(code: str) -> bool:
    candidate = normalised(code)
    return len(candidate) == LENGTH and all(char in ALPHABET for char in candidate)


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[index : index + 4] for index in range(0, LENGTH, 4))


def replace_codes(user_id: int) -> list[str]:
    """Ten new codes for `user_id`, replacing every earlier one (in the caller's transaction)."""
    codes = [_new_code() for _ in range(COUNT)]
    forget_codes(user_id)
    db.session.add_all(
        RecoveryCode(user_id=user_id, code_hash=sha256(normalised(code))) for code in codes
    )
    return codes


def forget_codes(user_id: int) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def use_code(user_id: int, code: str) -> bool:
    """Spend one of `user_id`'s unused codes; False when `code` is none of them.

    One UPDATE both checks and spends it, so two requests cannot both spend the same code.
    """
    if not looks_like_code(code):
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == sha256(normalised(code)),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return result.rowcount == 1


def remaining(user_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
