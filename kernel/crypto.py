"""Encryption of secrets at rest (Buffer and account access tokens), and keyed hashes of secrets.

`FIELD_ENCRYPTION_KEYS` holds Fernet keys: the first encrypts, every one decrypts, so a key can be
rotated in without re-encrypting old rows first (`manage.py rotate_encryption_keys` re-encrypts).
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac


class DecryptionError(Exception):
    """A stored secret could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be comma-separated Fernet keys (generate one with: python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        ) from None


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _current().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError("Stored secret cannot be decrypted with the configured keys.") from None


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the first (newest) key."""
    try:
        return _current().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError("Stored secret cannot be decrypted with the configured keys.") from None


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of `value` under a key derived from SECRET_KEY and `purpose`.

    For cache keys and stored fingerprints of secrets: unlike a bare SHA-256, nobody without the
    key can test a guessed token against it, and each purpose gets its own key.
    """
    return salted_hmac(f"socialhub.{purpose}", value, algorithm="sha256").hexdigest()
