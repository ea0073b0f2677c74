"""Turning two-factor on and off: set-up behind the password, on at the first code, recovery
codes shown once and stored hashed, the secret encrypted at rest, and keys that rotate."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from accounts.models import AuthSession, RecoveryCode, TotpDevice
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import (
    PASSWORD,
    client_of,
    event_types,
    password_login,
    totp_code,
    totp_turn_on,
)

pytestmark = pytest.mark.django_db

MFA = "/api/auth/mfa"
SETUP = "/api/auth/mfa/totp/setup"
CONFIRM = "/api/auth/mfa/totp/confirm"
TOTP = "/api/auth/mfa/totp"
RECOVERY = "/api/auth/mfa/recovery-codes"


def raw_secret(user) -> str:
    """The secret column as stored."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM mfa_totp_devices WHERE user_id = %s",
            [user.pk.hex if connection.vendor == "sqlite" else user.pk],
        )
        return cursor.fetchone()[0]


def test_set_up_needs_the_password(signed_in):
    assert signed_in.post(SETUP, {}, format="json").status_code == 400
    wrong = signed_in.post(SETUP, {"password": "not it"}, format="json")
    assert wrong.status_code == 403 and wrong.json()["code"] == "invalid_password"
    assert not TotpDevice.objects.exists()


def test_set_up_hands_out_the_secret_as_uri_and_qr_and_turns_nothing_on(signed_in):
    response = signed_in.post(SETUP, {"password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert len(body["secret"]) == 32
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    assert "issuer=Authbot" in body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg") and body["qr_svg"].endswith("</svg>\n")
    assert signed_in.get(MFA).json() == {"totp": False, "recovery_codes_left": 0, "passkeys": 0}
    assert password_login(signed_in, signed_in.user.email).json()["user"]


def test_a_first_code_turns_it_on_with_ten_recovery_codes(signed_in, totp_clock):
    _, codes = totp_turn_on(signed_in, totp_clock)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert signed_in.get(MFA).json() == {"totp": True, "recovery_codes_left": 10, "passkeys": 0}
    assert "mfa_enabled" in event_types(signed_in.user)
    login = password_login(signed_in, signed_in.user.email)
    assert login.json()["mfa_required"] is True


def test_a_wrong_first_code_turns_nothing_on(signed_in, totp_clock):
    secret = signed_in.post(SETUP, {"password": PASSWORD}, format="json").json()["secret"]
    wrong = totp_code(secret, totp_clock, steps=5)

    response = signed_in.post(CONFIRM, {"code": wrong}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "invalid_code"
    assert signed_in.get(MFA).json()["totp"] is False
    assert event_types(signed_in.user) == ["mfa_failed"]


def test_confirm_codes_cannot_be_guessed_without_limit(signed_in, totp_clock):
    secret = signed_in.post(SETUP, {"password": PASSWORD}, format="json").json()["secret"]
    for _ in range(10):
        signed_in.post(CONFIRM, {"code": totp_code(secret, totp_clock, steps=5)}, format="json")

    response = signed_in.post(CONFIRM, {"code": totp_code(secret, totp_clock)}, format="json")

    assert response.status_code == 429
    assert signed_in.get(MFA).json()["totp"] is False


def test_confirm_without_a_set_up_is_a_conflict(signed_in):
    response = signed_in.post(CONFIRM, {"code": "123456"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "mfa_setup_required"


def test_set_up_again_while_on_is_a_conflict(signed_in, totp_clock):
    totp_turn_on(signed_in, totp_clock)
    response = signed_in.post(SETUP, {"password": PASSWORD}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "mfa_already_enabled"


def test_the_secret_is_encrypted_at_rest_under_its_own_keys(settings, signed_in, totp_clock):
    settings.MFA_TOTP_KEYS = [Fernet.generate_key().decode()]
    secret, _ = totp_turn_on(signed_in, totp_clock)

    stored = raw_secret(signed_in.user)

    assert stored.startswith("fernet:") and secret not in stored
    plain = Fernet(settings.MFA_TOTP_KEYS[0]).decrypt(stored.removeprefix("fernet:").encode())
    assert plain.decode() == secret
    assert settings.MFA_TOTP_KEYS != settings.OAUTH_TOKEN_KEYS


def test_rotating_the_keys_re_encrypts_the_secrets(settings, signed_in, totp_clock):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_TOTP_KEYS = [old]
    secret, _ = totp_turn_on(signed_in, totp_clock)
    settings.MFA_TOTP_KEYS = [new, old]

    call_command("rotate_mfa_keys")

    settings.MFA_TOTP_KEYS = [new]  # the old key can go now
    assert TotpDevice.objects.get().secret == secret
    assert Fernet(new).decrypt(raw_secret(signed_in.user).removeprefix("fernet:").encode())


def test_recovery_codes_are_stored_as_digests(signed_in, totp_clock):
    _, codes = totp_turn_on(signed_in, totp_clock)
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10
    for code in codes:
        assert all(code not in row and code.replace("-", "") not in row for row in stored)


def test_new_recovery_codes_need_password_and_code_and_the_old_set_dies(signed_in, totp_clock):
    secret, old_codes = totp_turn_on(signed_in, totp_clock)
    no_code = signed_in.post(RECOVERY, {"password": PASSWORD}, format="json")
    assert no_code.status_code == 403 and no_code.json()["code"] == "mfa_required"

    response = signed_in.post(
        RECOVERY, {"password": PASSWORD, "code": totp_code(secret, totp_clock)}, format="json"
    )

    assert response.status_code == 200
    new_codes = response.json()["recovery_codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "recovery_codes_regenerated" in event_types(signed_in.user)
    token = password_login(signed_in, signed_in.user.email).json()["mfa_token"]
    verify = {"mfa_token": token, "code": old_codes[0]}
    assert signed_in.post("/api/auth/mfa/verify", verify, format="json").status_code == 401
    verify["code"] = new_codes[0]
    assert signed_in.post("/api/auth/mfa/verify", verify, format="json").status_code == 200


def test_turning_it_off_needs_password_and_code(signed_in, totp_clock):
    secret, _ = totp_turn_on(signed_in, totp_clock)

    no_code = signed_in.delete(TOTP, {"password": PASSWORD}, format="json")
    wrong = signed_in.delete(TOTP, {"password": PASSWORD, "code": "000000"}, format="json")
    no_password = signed_in.delete(TOTP, {"code": totp_code(secret, totp_clock)}, format="json")

    assert no_code.status_code == 403 and no_code.json()["code"] == "mfa_required"
    assert wrong.status_code == 403 and wrong.json()["code"] == "invalid_code"
    assert no_password.status_code == 400 and "password" in no_password.json()
    assert signed_in.get(MFA).json()["totp"] is True


def test_turning_it_off_removes_codes_and_ends_the_other_sessions(user, totp_clock):
    mine, other = client_of(user), client_of(user)
    secret, _ = totp_turn_on(mine, totp_clock)

    response = mine.delete(
        TOTP, {"password": PASSWORD, "code": totp_code(secret, totp_clock)}, format="json"
    )

    assert response.status_code == 204
    assert mine.get(MFA).json() == {"totp": False, "recovery_codes_left": 0, "passkeys": 0}
    assert not TotpDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert other.get(MFA).status_code == 401
    assert AuthSession.objects.get(pk=mine.auth_session.pk).revoked is False
    assert "mfa_disabled" in event_types(user)
    assert "user" in password_login(mine, user.email).json()


def test_a_user_without_a_password_sets_it_up_on_a_fresh_session(totp_clock):
    social = client_of(UserFactory())
    _, codes = totp_turn_on(social, totp_clock)
    assert social.get(MFA).json()["totp"] is True and len(codes) == 10
