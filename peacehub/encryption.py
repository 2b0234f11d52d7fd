"""Field-level encryption for the most sensitive text (notes).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) before they reach the
database and decrypted when read, so a database dump, a backup or a replica holds only
ciphertext. The keys live outside the database: PEACEHUB_FIELD_KEYS (comma-separated,
newest first, for rotation) or a file named by PEACEHUB_FIELD_KEY_FILE.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@cache
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured(
            "Set PEACEHUB_FIELD_KEYS or PEACEHUB_FIELD_KEY_FILE: notes are encrypted."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "A field encryption key is not a valid Fernet key "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        ) from None


def forget_keys() -> None:
    """For tests that change the keys."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("This value was not encrypted by PeaceHub.")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError("This value cannot be decrypted with the configured keys.") from None


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. It cannot be searched or ordered by the database,
    which is the point. The empty string stays empty, so "no note" costs nothing."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull", "exact"}:
            return None  # no contains/startswith on ciphertext
        return super().get_lookup(lookup_name)
