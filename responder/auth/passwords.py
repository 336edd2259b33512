"""Passwords are hashed with Argon2id (argon2-cffi, its RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from responder.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte on every attempt would be a denial of service

_HASHER = PasswordHasher()
# Verified when the user does not exist, so that an unknown name costs as long as a wrong
# password and the timing does not say which names exist.
_DUMMY = _HASHER.hash("not a real password, only for timing")


def check_strength(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.",
                           field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"A password has at most {MAX_LENGTH} characters.", field="password")
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(check_strength(password))


def verify(stored: str | None, password: str) -> bool:
    """True when `password` matches; runs the same work when nothing is stored."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
