"""Encryption of OAuth tokens at rest: Fernet under OAUTH_TOKEN_KEYS (first encrypts, all
decrypt), and the model field that applies it on every write and read."""

import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)

# Marks our ciphertext, so that the replaced service's plaintext tokens stay recognisable.
PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.OAUTH_TOKEN_KEYS))


def value_encrypt(plaintext: str) -> str:
    return PREFIX + _current().encrypt(plaintext.encode()).decode()


def value_decrypt(stored: str) -> str:
    """The plaintext of a stored value; legacy plaintext is returned as it is.

    Raises InvalidToken when no configured key opens our ciphertext."""
    if not stored.startswith(PREFIX):
        return stored
    return _current().decrypt(stored[len(PREFIX) :].encode()).decode()


def value_is_current(stored: str) -> bool:
    """Whether the value is our ciphertext under the first (encrypting) key."""
    if not stored.startswith(PREFIX):
        return False
    try:
        Fernet(settings.OAUTH_TOKEN_KEYS[0]).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """A text column holding Fernet ciphertext; model code sees only plaintext."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return value_decrypt(value)
        except InvalidToken:
            # A removed key must not break sign-in or the admin; the next sign-in rewrites it.
            logger.error("An OAuth token column could not be decrypted with OAUTH_TOKEN_KEYS.")
            return None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value_encrypt(value) if value else value
