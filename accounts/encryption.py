"""Encryption of secrets at rest: Fernet under a list of keys named by a setting (the first
encrypts, all decrypt, so keys rotate), and the model field that applies it on every write and
read. Provider tokens use OAUTH_TOKEN_KEYS, TOTP secrets MFA_TOTP_KEYS: one leaked list opens
one kind of secret."""

import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)

# Marks our ciphertext, so that the replaced service's plaintext tokens stay recognisable.
PREFIX = "fernet:"
OAUTH_KEYS = "OAUTH_TOKEN_KEYS"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current(keys_setting: str) -> MultiFernet:
    return _fernet(tuple(getattr(settings, keys_setting)))


def value_encrypt(plaintext: str, *, keys_setting: str = OAUTH_KEYS) -> str:
    return PREFIX + _current(keys_setting).encrypt(plaintext.encode()).decode()


def value_decrypt(stored: str, *, keys_setting: str = OAUTH_KEYS) -> str:
    """The plaintext of a stored value; legacy plaintext is returned as it is.

    Raises InvalidToken when no configured key opens our ciphertext."""
    if not stored.startswith(PREFIX):
        return stored
    return _current(keys_setting).decrypt(stored[len(PREFIX) :].encode()).decode()


def value_is_current(stored: str, *, keys_setting: str = OAUTH_KEYS) -> bool:
    """Whether the value is our ciphertext under the first (encrypting) key."""
    if not stored.startswith(PREFIX):
        return False
    try:
        Fernet(getattr(settings, keys_setting)[0]).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """A text column holding Fernet ciphertext under the keys of `keys_setting`; model code
    sees only plaintext."""

    def __init__(self, *args, keys_setting: str = OAUTH_KEYS, **kwargs) -> None:
        self.keys_setting = keys_setting
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.keys_setting != OAUTH_KEYS:
            kwargs["keys_setting"] = self.keys_setting
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return value_decrypt(value, keys_setting=self.keys_setting)
        except InvalidToken:
            # A removed key must not break sign-in or the admin; the next write replaces it.
            logger.error(
                "A %s column could not be decrypted with %s.", self.name, self.keys_setting
            )
            return None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value_encrypt(value, keys_setting=self.keys_setting) if value else value
