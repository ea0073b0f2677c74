"""Start-up refuses to run in production without real secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG = "s" * 48


def start(**env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as gunicorn would."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL"}}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DEBUG": "false",
    "DJANGO_SECRET_KEY": STRONG,
    "SESSION_SECRET": STRONG,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DJANGO_SECRET_KEY", ""),
        ("DJANGO_SECRET_KEY", "short"),
        ("SESSION_SECRET", ""),
        ("SESSION_SECRET", "dev-only-insecure-secret-do-not-use-in-production"),
    ],
)
def test_production_refuses_missing_or_weak_secrets(key, value):
    result = start(**(PRODUCTION | {key: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{key} must be set" in result.stderr


def test_production_starts_with_real_secrets():
    result = start(**PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_debug_starts_with_no_configuration_at_all():
    result = start(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_our_cookie_may_not_take_djangos_name():
    result = start(DEBUG="true", SESSION_COOKIE_NAME="sessionid")
    assert result.returncode != 0
    assert "collides" in result.stderr
