from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import PASSWORD, client_of

ME = "/api/auth/me"

pytestmark = pytest.mark.django_db


def test_delete_with_password_removes_user_sessions_and_linked_accounts(signed_in):
    user = signed_in.user
    OAuthAccountFactory(user=user, provider="github")
    response = signed_in.delete(ME, {"password": PASSWORD})
    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not AuthSession.objects.exists()
    assert not OAuthAccount.objects.exists()
    event = AuthEvent.objects.get(type="account_deleted")
    assert event.email == user.email and event.user is None
    assert signed_in.get(ME).status_code == 401


def test_wrong_password_keeps_the_account(signed_in):
    response = signed_in.delete(ME, {"password": "not the password"})
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_password"
    assert User.objects.filter(pk=signed_in.user.pk).exists()


def test_without_password_a_fresh_session_is_enough_for_an_oauth_user():
    assert client_of(UserFactory()).delete(ME).status_code == 204


def test_without_password_a_stale_session_is_refused():
    user = UserFactory()
    stale = client_of(user, created_at=timezone.now() - timedelta(days=2))
    response = stale.delete(ME)
    assert response.status_code == 403
    assert response.json()["code"] == "session_not_fresh"
    assert User.objects.filter(pk=user.pk).exists()
