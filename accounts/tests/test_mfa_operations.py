"""Operators and two-factor: the admin shows who has it and resets it, `manage.py mfa_reset`
does the same (both audited, every session ended), and the admin's own login asks staff
with two-factor for their code."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import AuthEvent, AuthSession, TotpDevice
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import (
    PASSWORD,
    admin_login,
    browser,
    client_of,
    password_login,
    totp_code,
    totp_turn_on,
)

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


@pytest.fixture
def protected(user, totp_clock):
    """`user` with two-factor on and a signed-in client."""
    client = client_of(user)
    totp_turn_on(client, totp_clock)
    return client


def test_the_admin_shows_who_has_two_factor(admin_client, user, protected):
    UserFactory(email="plain@example.com")
    page = admin_client.get(USERS).content.decode()
    assert "two-factor" in page.lower()
    assert page.count('alt="True"') >= 1
    detail = admin_client.get(f"{USERS}{user.pk}/change/").content.decode()
    assert "Two-factor" in detail or "two-factor" in detail


def test_the_admin_resets_it_and_ends_every_session(admin_client, user, protected):
    response = admin_client.post(
        USERS, {"action": "reset_two_factor", "_selected_action": [str(user.pk)]}, follow=True
    )

    assert response.status_code == 200
    assert "Reset two-factor authentication of 1 user(s)." in response.content.decode()
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not AuthSession.objects.filter(user=user, revoked=False).exists()
    event = AuthEvent.objects.get(type="mfa_disabled", user=user)
    assert event.detail["by"] == "admin"
    assert "user" in password_login(APIClient(), user.email).json()


def test_mfa_reset_command(user, protected, capsys):
    call_command("mfa_reset", user.email.upper())

    assert "is off; revoked 1 session(s)" in capsys.readouterr().out
    assert not TotpDevice.objects.exists()
    assert protected.get("/api/auth/mfa").status_code == 401
    assert AuthEvent.objects.get(type="mfa_disabled").detail["by"] == "command"


def test_mfa_reset_command_refuses_unknown_and_unprotected_users(user):
    with pytest.raises(CommandError, match="No user"):
        call_command("mfa_reset", "ghost@example.com")
    with pytest.raises(CommandError, match="does not have"):
        call_command("mfa_reset", user.email)


@pytest.fixture
def staff_secret(totp_clock) -> tuple:
    staff = UserFactory(password=PASSWORD, superuser=True)
    return staff, totp_turn_on(client_of(staff), totp_clock)[0]


def test_the_admin_login_asks_staff_with_two_factor_for_the_code(staff_secret):
    staff, _ = staff_secret
    client = browser()
    response = admin_login(client, staff.email, PASSWORD)
    assert response.status_code == 403
    assert "authenticator app" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_refuses_a_wrong_code(staff_secret, totp_clock):
    staff, secret = staff_secret
    client = browser()
    response = admin_login(client, staff.email, PASSWORD, code=totp_code(secret, totp_clock, 5))
    assert response.status_code == 200 and "wrong" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuthEvent.objects.get(type="mfa_failed").detail == {"stage": "admin"}


def test_the_admin_login_signs_in_with_the_code(staff_secret, totp_clock):
    staff, secret = staff_secret
    client = browser()
    response = admin_login(client, staff.email, PASSWORD, code=totp_code(secret, totp_clock))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_spends_the_users_budget_of_wrong_codes(staff_secret, totp_clock):
    staff, secret = staff_secret
    for n in range(10):
        admin_login(browser(f"10.0.0.{n}"), staff.email, PASSWORD, code="000000")
    response = admin_login(browser(), staff.email, PASSWORD, code=totp_code(secret, totp_clock))
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
