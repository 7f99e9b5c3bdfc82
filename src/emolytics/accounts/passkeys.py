"""Passkeys (WebAuthn, through py_webauthn): register, list, rename, remove, and sign in.

A passkey is a second factor after a password, or a sign-in of its own: a discoverable
credential (the authenticator knows the user) with user verification (a PIN or a fingerprint)
is two factors at once. Challenges are made here and kept by the caller (the session), one per
ceremony; the sign counter an authenticator reports must grow, or the passkey is refused.
"""

import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from emolytics.accounts import recovery_codes, sessions, totp
from emolytics.accounts.errors import AccountError
from emolytics.extensions import db
from emolytics.tables import Passkey, User, utcnow

NAME_MAX = 80
PER_USER_MAX = 20


class PasskeyError(AccountError):
    """A passkey that cannot be registered, used, renamed or removed (the message says why)."""


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """Who the passkeys are for: the site's domain (`id`), its name, the pages' origin."""

    id: str
    name: str
    origin: str


@dataclass(frozen=True, slots=True)
class Ceremony:
    """Options for the browser (JSON) and what the server keeps until the answer comes."""

    options_json: str
    challenge: bytes
    user_handle: bytes | None = None  # registration: the handle the passkey is made for


def has_passkeys(user_id: int) -> bool:
    first = select(Passkey.id).where(Passkey.user_id == user_id).limit(1)
    return db.session.scalar(first) is not None


def list_passkeys(user_id: int) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey)
            .where(Passkey.user_id == user_id)
            .order_by(Passkey.created_at, Passkey.id)
        )
    )


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise PasskeyError(f"A passkey's name is 1-{NAME_MAX} characters.")
    return name


def registration(user: User, party: RelyingParty) -> Ceremony:
    """Options to create a discoverable passkey with user verification for `user`."""
    existing = list_passkeys(user.id)
    if len(existing) >= PER_USER_MAX:
        raise PasskeyError(f"You have {PER_USER_MAX} passkeys: remove one first.")
    handle = existing[0].user_handle if existing else secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=party.id,
        rp_name=party.name,
        user_name=user.username,
        user_id=handle,
        user_display_name=user.username,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id) for p in existing],
    )
    return Ceremony(options_to_json(options), options.challenge, handle)


def register(
    user: User, name: str, credential: object, party: RelyingParty, challenge: bytes, handle: bytes
) -> Passkey:
    """Store the passkey the browser created for the challenge, committed; PasskeyError if it
    does not verify, is already registered, or its name is not usable. Other sessions that
    passed no second factor end (`sessions.require_second_factor`)."""
    name = check_name(name)
    if not isinstance(credential, dict):
        raise PasskeyError("The passkey could not be verified: please try again.")
    try:
        verified = verify_registration_response(
            credential=credential,  # type: ignore[arg-type]
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError) as error:
        raise PasskeyError("The passkey could not be verified: please try again.") from error
    known = select(Passkey.id).where(Passkey.credential_id == verified.credential_id)
    if db.session.scalar(known) is not None:
        raise PasskeyError("That passkey is already registered.")
    passkey = Passkey(
        user_id=user.id,
        name=name,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=handle,
    )
    db.session.add(passkey)
    sessions.require_second_factor(user)
    db.session.commit()
    return passkey


def authentication(party: RelyingParty, user_id: int | None, *, verify_user: bool) -> Ceremony:
    """Options to sign in with a passkey: `user_id`'s (a second factor, a confirmation), or
    any this site's user has (`None`: the authenticator offers its discoverable ones)."""
    allowed = [] if user_id is None else list_passkeys(user_id)
    options = generate_authentication_options(
        rp_id=party.id,
        allow_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id) for p in allowed],
        user_verification=(
            UserVerificationRequirement.REQUIRED
            if verify_user
            else UserVerificationRequirement.PREFERRED
        ),
    )
    return Ceremony(options_to_json(options), options.challenge)


def authenticate(
    credential: object,
    party: RelyingParty,
    challenge: bytes,
    *,
    user_id: int | None,
    verify_user: bool,
) -> User:
    """The active user whose passkey answered the challenge (its counter and last use are
    updated, not committed). `user_id`: the passkey must be theirs. PasskeyError otherwise."""
    refused = PasskeyError("That passkey was not accepted: please try again.")
    if not isinstance(credential, dict):
        raise refused
    try:
        parsed = parse_authentication_credential_json(credential)  # type: ignore[arg-type]
    except (WebAuthnException, ValueError, TypeError) as error:
        raise refused from error
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == parsed.raw_id))
    if passkey is None or (user_id is not None and passkey.user_id != user_id):
        raise PasskeyError("That passkey is not registered for this account.")
    handle = parsed.response.user_handle
    if handle is not None and handle != passkey.user_handle:
        raise refused
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=verify_user,
        )
    except (WebAuthnException, ValueError, TypeError) as error:
        raise refused from error
    user = db.session.get(User, passkey.user_id)
    if user is None or not user.active:
        raise refused
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return user


def rename(user_id: int, passkey_id: int, name: str) -> bool:
    """Rename one of `user_id`'s passkeys, committed; False when it is not theirs."""
    passkey = _own(user_id, passkey_id)
    if passkey is None:
        return False
    passkey.name = check_name(name)
    db.session.commit()
    return True


def remove(user_id: int, passkey_id: int) -> bool:
    """Remove one of `user_id`'s passkeys, committed; False when it is not theirs. With no
    second factor left, the recovery codes go too."""
    result = db.session.execute(
        delete(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user_id)
    )
    if result.rowcount and not has_passkeys(user_id) and not totp.enabled(user_id):
        recovery_codes.forget_codes(user_id)
    db.session.commit()
    return result.rowcount > 0


def find(user_id: int, passkey_id: int) -> Passkey | None:
    return _own(user_id, passkey_id)


def _own(user_id: int, passkey_id: int) -> Passkey | None:
    passkey = db.session.get(Passkey, passkey_id)
    return passkey if passkey is not None and passkey.user_id == user_id else None
