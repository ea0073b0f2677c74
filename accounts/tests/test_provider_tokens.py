"""provider_access_token: a valid access token, refreshed (and re-encrypted) when expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.social.provider_tokens import provider_access_token
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import raw_tokens
from accounts.tests.providers import GOOGLE_ISSUER
from core.errors import ApiError

pytestmark = pytest.mark.django_db


def test_a_valid_token_is_returned_without_calling_the_provider(google, provider_http):
    user = UserFactory()
    OAuthAccountFactory(
        user=user, access_token="ya29.valid", expires_at=timezone.now() + timedelta(hours=1)
    )

    assert provider_access_token(user=user, provider="google") == "ya29.valid"
    assert not [c for c in provider_http.calls if c.request.url.endswith("/token")]


def test_an_expired_token_is_refreshed_and_stored_encrypted(google, provider_http):
    user = UserFactory()
    link = OAuthAccountFactory(
        user=user,
        access_token="ya29.expired",
        refresh_token="1//refresh",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    google.token_answer = {"access_token": "ya29.fresh", "expires_in": 3599}

    assert provider_access_token(user=user, provider="google") == "ya29.fresh"

    refresh_call = next(c for c in provider_http.calls if c.request.url == f"{GOOGLE_ISSUER}/token")
    assert "grant_type=refresh_token" in refresh_call.request.body
    assert "refresh_token=1%2F%2Frefresh" in refresh_call.request.body
    link.refresh_from_db()
    assert link.access_token == "ya29.fresh" and link.refresh_token == "1//refresh"
    assert link.expires_at > timezone.now() + timedelta(minutes=50)
    assert "fresh" not in raw_tokens(link)[0]


def test_an_expired_token_without_refresh_token_needs_a_new_sign_in(google):
    user = UserFactory()
    OAuthAccountFactory(
        user=user, access_token="ya29.x", expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ApiError) as error:
        provider_access_token(user=user, provider="google")
    assert error.value.get_codes() == "reauthentication_required"


def test_a_refused_refresh_needs_a_new_sign_in(google):
    user = UserFactory()
    OAuthAccountFactory(
        user=user, access_token="ya29.x", refresh_token="1//revoked", expires_at=timezone.now()
    )
    google.token_answer = {"error": "invalid_grant"}

    with pytest.raises(ApiError) as error:
        provider_access_token(user=user, provider="google")
    assert error.value.get_codes() == "reauthentication_required"


def test_no_linked_account():
    with pytest.raises(ApiError) as error:
        provider_access_token(user=UserFactory(), provider="github")
    assert error.value.get_codes() == "account_not_linked"
