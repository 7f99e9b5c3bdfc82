"""Password hashing (argon2id) and the password policy."""

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 8
MAX_LENGTH = 1024
# OWASP's minimum for argon2id; configuration may raise these, never lower them.
MIN_MEMORY_KIB, MIN_TIME_COST, MIN_PARALLELISM = 19 * 1024, 2, 1


@cache
def _hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=max(time_cost, MIN_TIME_COST),
        memory_cost=max(memory_kib, MIN_MEMORY_KIB),
        parallelism=max(parallelism, MIN_PARALLELISM),
        type=Type.ID,
    )


def hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(
        config["ARGON2_MEMORY_KIB"], config["ARGON2_TIME_COST"], config["ARGON2_PARALLELISM"]
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(password_hash: str, password: str) -> bool:
    """True when `password` matches; False for a mismatch or a hash that is not argon2."""
    try:
        return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """A hash to verify against when the username is unknown, so both cases cost the same."""
    return hash_password("no such user: this only burns the same time as a real check")


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn (MIT) ships 30,000 passwords from leaked lists; only a policy check needs them.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def policy_problem(password: str, username: str = "") -> str | None:
    """Why `password` is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if "\x00" in password:
        return "The password cannot contain a NUL character."
    lowered = password.lower()
    if lowered in _common_passwords():
        return "This password is on a list of commonly used passwords; choose another."
    if username and lowered == username.lower():
        return "The password cannot be your username."
    return None
