"""The attack: a stolen bearer token of a user who has a password, under a day old, tries to
take the account over (move the address to the attacker's, or delete the account)."""

import pytest

from accounts.models import OAuthAccount, User
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import PASSWORD, client_of

pytestmark = pytest.mark.django_db

ATTACKER = "attacker@evil.example"


@pytest.fixture
def stolen(user):
    """Only the victim's token, minutes old: what a leaked log line or a malicious extension
    yields."""
    return client_of(user)


def assert_password_required(response) -> None:
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "password" in response.json()


def test_a_stolen_session_cannot_move_the_address(stolen, user, commit, outbox):
    response = commit(stolen.post, "/api/auth/email/change", {"new_email": ATTACKER})
    assert_password_required(response)
    assert outbox == []
    assert User.objects.get(pk=user.pk).email == user.email


def test_a_stolen_session_cannot_delete_the_account(stolen, user):
    assert_password_required(stolen.delete("/api/auth/me"))
    assert User.objects.filter(pk=user.pk).exists()


def test_a_stolen_session_cannot_unlink_a_provider(stolen, user):
    OAuthAccountFactory(user=user, provider="google")
    assert_password_required(stolen.delete("/api/auth/accounts/google"))
    assert OAuthAccount.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/auth/email/change", {"new_email": ATTACKER}),
        ("delete", "/api/auth/me", {}),
        ("delete", "/api/auth/accounts/google", {}),
    ],
)
def test_a_wrong_password_is_403(stolen, user, method, path, body):
    OAuthAccountFactory(user=user, provider="google")
    response = getattr(stolen, method)(path, {**body, "password": "guess"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "invalid_password")


def test_with_the_password_the_owner_can_act(stolen, user, commit):
    response = commit(
        stolen.post, "/api/auth/email/change", {"new_email": "me@new.example", "password": PASSWORD}
    )
    assert response.status_code == 202


def test_a_passwordless_user_still_needs_only_a_fresh_session(db):
    oauth_only = UserFactory()
    assert client_of(oauth_only).delete("/api/auth/me").status_code == 204
