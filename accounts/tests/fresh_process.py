"""Run the project in a fresh interpreter with exactly the given environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
    "SESSION_SECRET": secrets.token_urlsafe(48),
    "OAUTH_TOKEN_KEYS": Fernet.generate_key().decode(),
    "MFA_TOTP_KEYS": Fernet.generate_key().decode(),
    "SECURE_COOKIES": "true",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "api.example.com",
}


def python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Only PATH and HOME are inherited, so neither the caller's nor a .env's keys leak in."""
    environment = {"PATH": os.environ["PATH"], "HOME": str(BASE_DIR), **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return python("manage.py", *args, **env)
