"""Idempotency keys: a retried request gets the first answer instead of doing its work again.

A key is stored in the transaction that stores what its request creates (`record`), so the key
exists exactly when that does; the answer follows in a second step (`keep_answer`). A second
request with the key that arrives while the first runs cannot store its work: the key's primary
key refuses it, its transaction is rolled back, and it gets the first answer.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update

from emolytics.extensions import db
from emolytics.tables import IdempotencyKey, utcnow

RETENTION = timedelta(hours=24)  # a key is remembered this long, then forgotten


class KeyReused(Exception):
    """The key came before with a different request."""


class AnswerPending(Exception):
    """The key's first request stored its work but has not kept its answer (yet)."""


@dataclass(frozen=True)
class Claim:
    user_id: int
    key: str
    request_hash: str  # SHA-256, hex, of what the request said


@dataclass(frozen=True)
class Answer:
    status: int
    body: str  # JSON
    location: str | None


def find(claim: Claim) -> Answer | None:
    """The first answer to this key, if it is remembered; KeyReused, AnswerPending."""
    row = db.session.get(IdempotencyKey, (claim.user_id, claim.key))
    if row is None or row.created_at < utcnow() - RETENTION:
        return None
    if row.request_hash != claim.request_hash:
        raise KeyReused(claim.key)
    if row.status is None or row.response is None:
        raise AnswerPending(claim.key)
    return Answer(row.status, row.response, row.location)


def record(claim: Claim) -> None:
    """Store the key in the session's transaction (IntegrityError if another request has it)."""
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == claim.user_id,
            IdempotencyKey.key == claim.key,
            IdempotencyKey.created_at < utcnow() - RETENTION,
        )
    )
    db.session.add(
        IdempotencyKey(user_id=claim.user_id, key=claim.key, request_hash=claim.request_hash)
    )
    db.session.flush()


def keep_answer(claim: Claim, answer: Answer) -> None:
    """Keep the answer of the key's request, and forget every key past its retention."""
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == claim.user_id, IdempotencyKey.key == claim.key)
        .values(status=answer.status, response=answer.body, location=answer.location)
    )
    db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - RETENTION)
    )
    db.session.commit()
