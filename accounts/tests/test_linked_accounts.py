"""DELETE /api/auth/accounts/{provider}: unlink, never the last way to sign in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuthEvent, AuthSession, OAuthAccount
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import PASSWORD, client_of

pytestmark = pytest.mark.django_db


def test_unlink_with_a_password_left(signed_in, user):
    OAuthAccountFactory(user=signed_in.user, provider="google")

    response = signed_in.delete("/api/auth/accounts/google", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not OAuthAccount.objects.exists()
    event = AuthEvent.objects.get(type="oauth_unlinked")
    assert event.user == user and event.detail == {"provider": "google"}


def test_unlink_with_another_provider_left():
    user = UserFactory()
    OAuthAccountFactory(user=user, provider="google")
    OAuthAccountFactory(user=user, provider="github")

    response = client_of(user).delete("/api/auth/accounts/github")

    assert response.status_code == 204
    assert list(OAuthAccount.objects.values_list("provider", flat=True)) == ["google"]


def test_last_login_method_is_refused():
    user = UserFactory()
    OAuthAccountFactory(user=user, provider="google")

    response = client_of(user).delete("/api/auth/accounts/google")

    assert response.status_code == 409
    assert response.json()["code"] == "last_login_method"
    assert OAuthAccount.objects.count() == 1
    assert AuthEvent.objects.filter(type="oauth_unlink_refused", user=user).exists()


def test_unlinking_a_provider_not_linked_is_404(signed_in):
    response = signed_in.delete("/api/auth/accounts/github", {"password": PASSWORD}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "account_not_linked"


def test_unlink_needs_the_password_of_a_user_who_has_one(signed_in):
    OAuthAccountFactory(user=signed_in.user, provider="google")
    AuthSession.objects.update(created_at=timezone.now() - timedelta(days=2))

    stale = signed_in.delete("/api/auth/accounts/google")
    wrong = signed_in.delete("/api/auth/accounts/google", {"password": "wrong"}, format="json")

    assert (stale.status_code, stale.json()["code"]) == (400, "invalid")
    assert "password" in stale.json()
    assert (wrong.status_code, wrong.json()["code"]) == (403, "invalid_password")
    assert OAuthAccount.objects.count() == 1


def test_passwordless_user_needs_a_fresh_session():
    user = UserFactory()
    OAuthAccountFactory(user=user, provider="google")
    OAuthAccountFactory(user=user, provider="github")

    stale = client_of(user, created_at=timezone.now() - timedelta(days=2))

    response = stale.delete("/api/auth/accounts/github")

    assert (response.status_code, response.json()["code"]) == (403, "session_not_fresh")


def test_unlink_needs_a_session(api):
    assert api.delete("/api/auth/accounts/google").status_code == 401


def test_other_users_links_are_untouched(signed_in):
    OAuthAccountFactory(user=signed_in.user, provider="google")
    other = OAuthAccountFactory(provider="google")  # another user's

    signed_in.delete("/api/auth/accounts/google", {"password": PASSWORD}, format="json")

    assert list(OAuthAccount.objects.all()) == [other]
