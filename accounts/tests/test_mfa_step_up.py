"""With two-factor on, a sensitive action needs a current code as well as the password: a
stolen session alone does nothing sensitive, and neither does a stolen password alone."""

import pytest
from rest_framework.test import APIClient

from accounts.models import OAuthAccount, User
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import (
    PASSWORD,
    TOTP_STEP,
    client_of,
    password_login,
    totp_code,
    totp_turn_on,
)

pytestmark = pytest.mark.django_db

ACTIONS = [
    ("delete", "/api/auth/me", {}),
    ("post", "/api/auth/email/change", {"new_email": "new@example.com"}),
    ("delete", "/api/auth/accounts/github", {}),
]


@pytest.fixture
def owner(user, totp_clock):
    """A signed-in user with two-factor on and a GitHub link; `.secret` is the TOTP secret."""
    OAuthAccountFactory(user=user, provider="github")
    client = client_of(user)
    client.secret, _ = totp_turn_on(client, totp_clock)
    return client


@pytest.mark.parametrize(("method", "url", "body"), ACTIONS)
def test_the_password_is_not_enough(owner, method, url, body):
    response = getattr(owner, method)(url, {**body, "password": PASSWORD}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"
    assert User.objects.exists() and OAuthAccount.objects.exists()


@pytest.mark.parametrize(("method", "url", "body"), ACTIONS)
def test_a_wrong_code_is_refused(owner, method, url, body):
    proof = {"password": PASSWORD, "code": "000000"}
    response = getattr(owner, method)(url, {**body, **proof}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "invalid_code"


@pytest.mark.parametrize(("method", "url", "body"), ACTIONS)
def test_a_code_without_the_password_is_not_enough(owner, totp_clock, method, url, body):
    code = totp_code(owner.secret, totp_clock)
    response = getattr(owner, method)(url, {**body, "code": code}, format="json")
    assert response.status_code == 400 and "password" in response.json()


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [(*action, status) for action, status in zip(ACTIONS, [204, 202, 204], strict=True)],
)
def test_password_and_code_do_it(owner, totp_clock, method, url, body, status):
    proof = {"password": PASSWORD, "code": totp_code(owner.secret, totp_clock)}
    response = getattr(owner, method)(url, {**body, **proof}, format="json")
    assert response.status_code == status, response.content


def test_a_recovery_code_serves_as_the_code(user, totp_clock):
    client = client_of(user)
    _, codes = totp_turn_on(client, totp_clock)
    response = client.delete("/api/auth/me", {"password": PASSWORD, "code": codes[0]})
    assert response.status_code == 204 and not User.objects.exists()


def test_a_code_used_for_one_action_is_not_used_again(owner, totp_clock):
    code = totp_code(owner.secret, totp_clock)
    body = {"new_email": "new@example.com", "password": PASSWORD, "code": code}
    assert owner.post("/api/auth/email/change", body, format="json").status_code == 202
    again = owner.delete("/api/auth/me", {"password": PASSWORD, "code": code}, format="json")
    assert again.status_code == 403 and again.json()["code"] == "invalid_code"
    totp_clock.advance(TOTP_STEP)
    body = {"password": PASSWORD, "code": totp_code(owner.secret, totp_clock)}
    assert owner.delete("/api/auth/me", body, format="json").status_code == 204


def test_a_user_without_a_password_still_needs_the_code(totp_clock):
    social = client_of(UserFactory())
    OAuthAccountFactory(user=social.user, provider="google")
    OAuthAccountFactory(user=social.user, provider="github")
    secret, _ = totp_turn_on(social, totp_clock)
    refused = social.delete("/api/auth/accounts/github", {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    done = social.delete("/api/auth/accounts/github", {"code": totp_code(secret, totp_clock)})
    assert done.status_code == 204


def test_a_stolen_password_alone_gets_no_session(user, owner):
    thief = APIClient()
    answer = password_login(thief, user.email, transport="token")
    assert answer.json()["mfa_required"] is True and "token" not in answer.json()
    assert thief.get("/api/auth/me").status_code == 401
