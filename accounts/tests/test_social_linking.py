"""The linking rules, end to end through begin → provider → callback."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User
from accounts.tests.factories import AuthSessionFactory, OAuthAccountFactory, UserFactory
from accounts.tests.helpers import FRONTEND, begin, client_of, login_error
from accounts.tests.providers import Identity

pytestmark = pytest.mark.django_db

PROVIDERS = ["google", "github"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_vouched_email_links_to_the_verified_local_user_keeping_password_and_sessions(
    api, oauth_sign_in, provider
):
    user = UserFactory(email="ann@example.com", password="pw-123456789")
    User.objects.filter(pk=user.pk).update(email_verified_at="2024-01-01T00:00:00Z")
    old_session = AuthSessionFactory(user=user)

    response = oauth_sign_in(api, provider, Identity(uid="55", email="ANN@example.com"))

    assert response["Location"] == FRONTEND
    assert OAuthAccount.objects.get().user == user
    user.refresh_from_db()
    assert user.has_usable_password()
    old_session.refresh_from_db()
    assert not old_session.revoked
    event = AuthEvent.objects.get(type="oauth_linked")
    assert event.detail == {
        "provider": provider,
        "provider_account_id": "55",
        "reason": "verified_email",
    }


@pytest.mark.parametrize("provider", PROVIDERS)
def test_vouched_email_of_an_unverified_local_user_wipes_the_squatters_password_and_sessions(
    api, oauth_sign_in, provider
):
    squatter = UserFactory(email="ann@example.com", password="squatters-password")
    squatter_session = AuthSessionFactory(user=squatter)

    response = oauth_sign_in(api, provider, Identity(uid="55"))

    assert response["Location"] == FRONTEND
    squatter.refresh_from_db()
    assert squatter.email_verified and not squatter.has_usable_password()
    squatter_session.refresh_from_db()
    assert squatter_session.revoked
    assert api.get("/api/auth/me").json()["user"]["id"] == str(squatter.pk)
    claimed = AuthEvent.objects.get(type="oauth_email_claimed")
    assert claimed.detail == {"provider": provider, "password_removed": True, "sessions_revoked": 1}


def test_vouched_email_of_an_unverified_local_user_also_drops_the_squatters_links(
    api, oauth_sign_in
):
    """A squatter who linked their own GitHub account must not keep it as a way in."""
    squatter = UserFactory(email="ann@example.com", password="squatters-password")
    OAuthAccountFactory(user=squatter, provider="github", provider_account_id="666")

    oauth_sign_in(api, "google", Identity(uid="55"))

    assert list(OAuthAccount.objects.filter(user=squatter).values_list("provider", flat=True)) == [
        "google"
    ]
    unlinked = AuthEvent.objects.get(type="oauth_unlinked")
    assert unlinked.user == squatter
    assert unlinked.detail == {"provider": "github", "reason": "email_claimed"}
    intruder = APIClient()
    oauth_sign_in(intruder, "github", Identity(uid="666", email="squatter@example.net"))
    assert intruder.get("/api/auth/me").json()["user"]["id"] != str(squatter.pk)


def test_google_unverified_email_of_a_local_user_is_refused_and_creates_nothing(api, oauth_sign_in):
    user = UserFactory(email="ann@example.com", password="pw-123456789")

    response = oauth_sign_in(api, "google", Identity(uid="9", email_verified=False))

    assert response["Location"] == login_error("email_not_verified_by_provider")
    assert not OAuthAccount.objects.exists() and User.objects.get() == user
    assert not AuthSession.objects.exists()
    event = AuthEvent.objects.get(type="oauth_refused")
    assert event.email == "ann@example.com"
    assert event.detail == {"provider": "google", "code": "email_not_verified_by_provider"}


def test_github_unverified_primary_email_of_a_local_user_is_refused(api, oauth_sign_in):
    UserFactory(email="ann@example.com")

    response = oauth_sign_in(api, "github", Identity(uid="9", email_verified=False))

    assert response["Location"] == login_error("email_not_verified_by_provider")
    assert not OAuthAccount.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unvouched_new_email_creates_an_unverified_user(api, oauth_sign_in, provider):
    response = oauth_sign_in(api, provider, Identity(uid="9", email_verified=False))

    assert response["Location"] == f"{FRONTEND}/?new_user=1"
    user = User.objects.get()
    assert user.email == "ann@example.com" and not user.email_verified


@pytest.mark.parametrize("provider", PROVIDERS)
def test_mandatory_verification_holds_an_unvouched_user_back_and_mails_a_link(
    api, oauth_sign_in, provider, settings, commit, outbox
):
    settings.EMAIL_VERIFICATION = "mandatory"

    response = commit(oauth_sign_in, api, provider, Identity(uid="9", email_verified=False))

    assert response["Location"] == login_error("email_not_verified")
    assert settings.AUTH_SESSION_COOKIE_NAME not in response.cookies
    assert not AuthSession.objects.exists()
    (mail,) = outbox
    assert mail.to == ["ann@example.com"] and "/verify-email?token=" in mail.body
    vouched = oauth_sign_in(api, provider, Identity(uid="10", email="bo@example.com"))
    assert vouched["Location"] == f"{FRONTEND}/?new_user=1"


def test_github_uses_the_primary_address_not_the_public_profile_one(api, oauth_sign_in):
    oauth_sign_in(api, "github", Identity(uid="9", email="primary@example.com"))
    assert User.objects.get().email == "primary@example.com"


def test_provider_without_an_email_is_refused(api, oauth_sign_in):
    response = oauth_sign_in(api, "google", Identity(uid="9", email=""))

    assert response["Location"] == login_error("email_missing")
    assert not User.objects.exists()


def test_disabled_user_is_refused(api, oauth_sign_in):
    OAuthAccountFactory(user__is_active=False, provider_account_id="1")

    response = oauth_sign_in(api, "google", Identity(uid="1"))

    assert response["Location"] == login_error("account_disabled")
    assert not AuthSession.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_signed_in_user_links_a_provider_whatever_its_email(oauth_sign_in, provider):
    user = UserFactory(email="me@example.com", password="pw-123456789")
    api = client_of(user, transport="cookie")

    response = oauth_sign_in(
        api,
        provider,
        Identity(uid="77", email="other@example.net"),
        link="1",
        next=f"{FRONTEND}/settings",
    )

    assert response["Location"] == f"{FRONTEND}/settings"
    assert settings.AUTH_SESSION_COOKIE_NAME not in response.cookies
    link = OAuthAccount.objects.get()
    assert (link.user, link.provider_account_id) == (user, "77")
    assert User.objects.count() == 1 and AuthSession.objects.count() == 1
    accounts = api.get("/api/auth/accounts").json()["accounts"]
    assert [a["provider"] for a in accounts] == [provider]
    assert AuthEvent.objects.get(type="oauth_linked").detail["reason"] == "signed_in"


def test_linking_an_account_of_another_user_is_refused(oauth_sign_in):
    owner = OAuthAccountFactory(provider="github", provider_account_id="77").user
    me = UserFactory()
    api = client_of(me, transport="cookie")

    response = oauth_sign_in(api, "github", Identity(uid="77"), link="1")

    assert response["Location"] == login_error("account_already_linked")
    assert OAuthAccount.objects.get().user == owner
    event = AuthEvent.objects.get(type="oauth_refused")
    assert event.user == me and event.detail["code"] == "account_already_linked"


def test_linking_an_account_already_ours_keeps_one_row(oauth_sign_in):
    me = UserFactory()
    OAuthAccountFactory(user=me, provider="github", provider_account_id="77")
    api = client_of(me, transport="cookie")

    response = oauth_sign_in(api, "github", Identity(uid="77"), link="1")

    assert response["Location"] == FRONTEND
    assert OAuthAccount.objects.get().access_token.startswith("gho_")


def test_linking_without_our_session_is_refused_at_begin(api, fakes):
    response = begin(api, "google", link="1")
    assert response["Location"] == login_error("not_authenticated")


def test_linking_never_trusts_djangos_session_user(admin_client, fakes):
    """Django's session (admin login) must not stand in for our session."""
    response = begin(admin_client, "google", link="1")
    assert response["Location"] == login_error("not_authenticated")


def test_linking_is_refused_when_the_session_ended_before_the_callback(consent):
    api = client_of(UserFactory(), transport="cookie")
    params = consent(api, "google", Identity(uid="5"), link="1")
    api.post("/api/auth/logout")
    api.cookies.pop(settings.AUTH_SESSION_COOKIE_NAME, None)

    response = api.get("/api/auth/oauth/google/callback", params)

    assert response["Location"] == login_error("not_authenticated")
    assert not OAuthAccount.objects.exists() and User.objects.count() == 1
