"""Reading the environment: the one `env`, development mode, and the secrets that production
must be given."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

DEV_SECRET = "dev-only-insecure-secret-do-not-use-in-production"
DEV_FERNET_KEY = "ZGV2LW9ubHktb2F1dGgta2V5LWRvLW5vdC11c2UtMDA="
MIN_SECRET_LENGTH = 32


def secret_setting(key: str) -> str:
    """Refuse to start in production without a real secret: a random one per process would
    make every worker disagree and every restart sign everybody out."""
    value = env.str(key, default="")
    if DEBUG:
        return value or DEV_SECRET
    if len(value) < MIN_SECRET_LENGTH or value == DEV_SECRET:
        raise ImproperlyConfigured(
            f"{key} must be set to a random value of at least {MIN_SECRET_LENGTH} characters "
            "when DEBUG is off (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    return value


def fernet_keys_setting(key: str) -> list[str]:
    """Refuse to start in production without real Fernet keys: values written under a random
    per-process key could never be read again by another worker."""
    from cryptography.fernet import Fernet

    keys = env.list(key, default=[])
    if not keys and DEBUG:
        return [DEV_FERNET_KEY]
    for value in keys:
        try:
            Fernet(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{key} must be comma-separated Fernet keys (python -c 'from cryptography.fernet "
                "import Fernet; print(Fernet.generate_key().decode())'); one of them is not."
            ) from exc
    if not keys or (not DEBUG and DEV_FERNET_KEY in keys):
        raise ImproperlyConfigured(
            f"{key} must be set when DEBUG is off (the first key encrypts, all decrypt): "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
            ".decode())'"
        )
    return keys
