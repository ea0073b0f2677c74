"""DELETE /api/auth/accounts/{provider}: unlink, never the last way to sign in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuthEvent, AuthSession, OAuthAccount
from accounts.sessions import session_create
from accounts.tests.factories import UserFactory
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def link(user, provider: str, uid: str = "1") -> OAuthAccount:
    return OAuthAccount.objects.create(user=user, provider=provider, provider_account_id=uid)


def bearer(api, user, *, age: timedelta = timedelta(0)):
    session, token = session_create(user=user)
    AuthSession.objects.filter(pk=session.pk).update(created_at=timezone.now() - age)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def test_unlink_with_a_password_left(signed_in, user):
    link(signed_in.user, "google")

    response = signed_in.delete("/api/auth/accounts/google", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not OAuthAccount.objects.exists()
    event = AuthEvent.objects.get(type="oauth_unlinked")
    assert event.user == user and event.detail == {"provider": "google"}


def test_unlink_with_another_provider_left(api):
    user = UserFactory()
    link(user, "google")
    link(user, "github")

    response = bearer(api, user).delete("/api/auth/accounts/github")

    assert response.status_code == 204
    assert list(OAuthAccount.objects.values_list("provider", flat=True)) == ["google"]


def test_last_login_method_is_refused(api):
    user = UserFactory()
    link(user, "google")

    response = bearer(api, user).delete("/api/auth/accounts/google")

    assert response.status_code == 409
    assert response.json()["code"] == "last_login_method"
    assert OAuthAccount.objects.count() == 1
    assert AuthEvent.objects.filter(type="oauth_unlink_refused", user=user).exists()


def test_unlinking_a_provider_not_linked_is_404(signed_in):
    response = signed_in.delete("/api/auth/accounts/github", {"password": PASSWORD}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "account_not_linked"


def test_unlink_needs_the_password_of_a_user_who_has_one(signed_in):
    link(signed_in.user, "google")
    AuthSession.objects.update(created_at=timezone.now() - timedelta(days=2))

    stale = signed_in.delete("/api/auth/accounts/google")
    wrong = signed_in.delete("/api/auth/accounts/google", {"password": "wrong"}, format="json")

    assert (stale.status_code, stale.json()["code"]) == (400, "invalid")
    assert "password" in stale.json()
    assert (wrong.status_code, wrong.json()["code"]) == (403, "invalid_password")
    assert OAuthAccount.objects.count() == 1


def test_passwordless_user_needs_a_fresh_session(api):
    user = UserFactory()
    link(user, "google")
    link(user, "github")

    response = bearer(api, user, age=timedelta(days=2)).delete("/api/auth/accounts/github")

    assert (response.status_code, response.json()["code"]) == (403, "session_not_fresh")


def test_unlink_needs_a_session(api):
    assert api.delete("/api/auth/accounts/google").status_code == 401


def test_other_users_links_are_untouched(signed_in):
    link(signed_in.user, "google")
    other = link(UserFactory(), "google", uid="2")

    signed_in.delete("/api/auth/accounts/google", {"password": PASSWORD}, format="json")

    assert list(OAuthAccount.objects.all()) == [other]
