"""Password hashing (Argon2id, OWASP parameters) and the password policy."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

LEGACY_ARGON2_PREFIX = "$argon2"


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's first recommended parameters (m=19 MiB, t=2, p=1).

    Same algorithm name as Django's hasher, so hashes it wrote (and legacy ones, once
    prefixed) verify here and are re-hashed when their parameters differ."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1


def normalize_legacy_hash(encoded: str) -> str:
    """Turn a bare argon2-cffi hash into Django's `argon2$argon2id$...` form."""
    if encoded.startswith(LEGACY_ARGON2_PREFIX):
        return "argon2" + encoded
    return encoded


def validate_new_password(password: str, *, user=None, field: str = "password") -> None:
    """Apply the length bound before hashing, then Django's validators; errors name `field`."""
    if len(password) > settings.PASSWORD_MAX_LENGTH:
        message = f"Passwords are at most {settings.PASSWORD_MAX_LENGTH} characters long."
        raise serializers.ValidationError({field: [message]})
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({field: exc.messages}) from exc
