"""Start-up refuses to run in production without real secrets."""

import pytest
from cryptography.fernet import Fernet

from accounts.tests.fresh_process import PRODUCTION, manage, python


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
    result = manage("check", **(PRODUCTION | {key: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{key} must be set" in result.stderr


@pytest.mark.parametrize("setting", ["OAUTH_TOKEN_KEYS", "MFA_TOTP_KEYS"])
@pytest.mark.parametrize(("keys", "message"), [("", "must be set"), ("not-a-key", "Fernet keys")])
def test_production_refuses_missing_or_invalid_encryption_keys(setting, keys, message):
    result = manage("check", **(PRODUCTION | {setting: keys}))
    assert result.returncode != 0
    assert message in result.stderr and setting in result.stderr


def test_production_takes_a_list_of_oauth_token_keys():
    keys = f"{Fernet.generate_key().decode()},{PRODUCTION['OAUTH_TOKEN_KEYS']}"
    script = "import django; django.setup(); from django.conf import settings as s; "
    script += "print(len(s.OAUTH_TOKEN_KEYS))"
    env = PRODUCTION | {"OAUTH_TOKEN_KEYS": keys, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = python("-c", script, **env)
    assert result.stdout.strip() == "2", result.stderr


def test_production_starts_with_real_secrets():
    result = manage("check", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_debug_starts_with_no_configuration_at_all():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_our_cookie_may_not_take_djangos_name():
    result = manage("check", DEBUG="true", SESSION_COOKIE_NAME="sessionid")
    assert result.returncode != 0
    assert "collides" in result.stderr


def test_every_environment_key_is_documented():
    """Each key the settings read appears in the README's table and in .env.example."""
    import re

    from accounts.tests.fresh_process import BASE_DIR

    modules = sorted((BASE_DIR / "config" / "settings").glob("*.py"))
    source = "\n".join(module.read_text() for module in modules)
    keys = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    keys |= set(re.findall(r'(?:secret|fernet_keys)_setting\("([A-Z_]+)"\)', source))
    readme = (BASE_DIR / "README.md").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    assert len(keys) > 30
    assert not {k for k in keys if f"`{k}`" not in readme}
    assert not {k for k in keys if not re.search(rf"^#? ?{k}=", example, re.M)}
