"""The `Idempotency-Key` header: a client that lost an answer may send its request again.

The same key from the same user within 24 hours gets the first answer again (same status and
body, with `Idempotent-Replayed: true`) and stores nothing new. The key with a different
request is refused with 422, as the IETF draft on this header says: the request is well-formed
but cannot be processed with that key. While the first request is still being answered, a
retry gets 409.
"""

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, g, make_response, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from emolytics import current_team
from emolytics.api.inputs import Refusal
from emolytics.extensions import db
from emolytics.pipeline import idempotency
from emolytics.pipeline.idempotency import Answer, Claim

KEY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_CHARS = 255
READ_BYTES = 1024 * 1024


def idempotent(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Answer a retried request (same key) with its first answer. The view stores its work
    with `record_key` as the before-commit step, so the key is stored with the work."""

    @wraps(view)
    def answer_once(**arguments: Any) -> ResponseReturnValue:
        key = request.headers.get(KEY_HEADER)
        if key is None:
            return view(**arguments)
        claim = Claim(current_user.id, _checked(key), _request_hash())
        kept = _kept(claim)
        if kept is not None:
            return kept
        g.idempotency_claim = claim
        try:
            response = make_response(view(**arguments))
        except IntegrityError:  # a request with the same key stored its work first
            db.session.rollback()
            kept = _kept(claim)
            if kept is None:
                raise
            return kept
        if response.status_code < 300:
            body = response.get_data(as_text=True)
            location = response.headers.get("Location")
            idempotency.keep_answer(claim, Answer(response.status_code, body, location))
        return response

    return answer_once


def record_key() -> None:
    """Store this request's key (if it has one) in the transaction storing its work."""
    claim = g.get("idempotency_claim")
    if claim is not None:
        idempotency.record(claim)


def _checked(key: str) -> str:
    if not 0 < len(key) <= MAX_KEY_CHARS or not key.isascii() or not key.isprintable():
        raise Refusal(
            400,
            "invalid_idempotency_key",
            f"{KEY_HEADER} is 1 to {MAX_KEY_CHARS} printable ASCII characters.",
        )
    return key


def _kept(claim: Claim) -> Response | None:
    """The first answer to the key, replayed; None if the key is new."""
    try:
        answer = idempotency.find(claim)
    except idempotency.KeyReused as error:
        raise Refusal(
            422,
            "idempotency_key_reused",
            f"This {KEY_HEADER} was used for a different request; use a new key.",
        ) from error
    except idempotency.AnswerPending as error:
        raise Refusal(
            409,
            "request_in_progress",
            f"The first request with this {KEY_HEADER} is still being answered; retry soon.",
        ) from error
    if answer is None:
        return None
    response = Response(answer.body, answer.status, mimetype="application/json")
    response.headers[REPLAY_HEADER] = "true"
    if answer.location:
        response.headers["Location"] = answer.location
    return response


def _request_hash() -> str:
    """What the request says: its team (the token's), path and body; for a form, its fields
    and files (a client's retry picks a new multipart boundary)."""
    digest = hashlib.sha256(f"{current_team.team_id()} {request.method} {request.path}\n".encode())
    if request.mimetype != "multipart/form-data":
        digest.update(f"{request.mimetype}\n".encode())
        digest.update(request.get_data())
        return digest.hexdigest()
    for field in sorted(request.form.items(multi=True), key=repr):  # a value may be None
        digest.update(json.dumps(field).encode())
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        digest.update(json.dumps([name, upload.filename]).encode())
        while chunk := upload.stream.read(READ_BYTES):
            digest.update(chunk)
        upload.stream.seek(0)
    return digest.hexdigest()
