"""The environment of a served bench: production settings on loopback, throw-away secrets."""

import os


def production_environment(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """DEBUG off, as in production, so the bench measures what production runs."""
    return os.environ | {
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "SESSION_SECRET": "bench-session-secret-" + "y" * 40,
        "OAUTH_TOKEN_KEYS": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
        "MFA_TOTP_KEYS": "Ym5UGkY1mT2vQ0f1h8xZc3pL7rW9sK4dE6aJ0nB2cXo=",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }
