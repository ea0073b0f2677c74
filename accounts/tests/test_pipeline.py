"""Each linking rule of the social sign-in pipeline on its own, with its keyword arguments."""

import pytest
from django.db import IntegrityError

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User
from accounts.social import pipeline
from accounts.social.backends import backend_load
from accounts.social.pipeline import OAuthRefused
from accounts.social.storage import SocialStorage
from accounts.tests.factories import AuthSessionFactory, OAuthAccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    """What social-auth passes every step, for a Google account with uid "g-1"."""
    backend = backend_load(provider="google")
    return {
        "backend": backend,
        "strategy": backend.strategy,
        "storage": SocialStorage,
        "uid": "g-1",
    }


def verified_user(**fields) -> User:
    user = UserFactory(**fields)
    User.objects.filter(pk=user.pk).update(email_verified_at="2024-01-01T00:00:00Z")
    user.refresh_from_db()
    return user


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"email": " Ann@Example.COM ", "email_verified": True}, ("ann@example.com", True)),
        ({"email": "ann@example.com", "email_verified": False}, ("ann@example.com", False)),
        ({"email": "ann@example.com", "email_verified": "true"}, ("ann@example.com", False)),
        ({"email": "", "email_verified": True}, ("", False)),
        ({"email": None}, ("", False)),
    ],
)
def test_provider_email_normalises_and_only_trusts_an_explicit_true(details, expected):
    out = pipeline.provider_email(details=details)
    assert (out["email"], out["email_verified"]) == expected


def test_known_account_signs_its_user_in(ctx):
    user = UserFactory()
    link = OAuthAccountFactory(user=user, provider="google", provider_account_id="g-1")
    out = pipeline.known_account(**ctx)
    assert out == {"user": user, "social": link, "is_new": False}


def test_known_account_of_another_provider_or_uid_is_not_ours(ctx):
    OAuthAccountFactory(provider="github", provider_account_id="g-1")
    OAuthAccountFactory(provider="google", provider_account_id="g-2")
    assert pipeline.known_account(**ctx) is None


def test_known_account_of_another_user_refuses_linking(ctx):
    OAuthAccountFactory(provider="google", provider_account_id="g-1")
    with pytest.raises(OAuthRefused) as refused:
        pipeline.known_account(**ctx, user=UserFactory())
    assert refused.value.code == "account_already_linked"


def test_known_account_of_a_disabled_user_is_refused(ctx):
    user = UserFactory(is_active=False)
    OAuthAccountFactory(user=user, provider="google", provider_account_id="g-1")
    with pytest.raises(OAuthRefused, match="account_disabled"):
        pipeline.known_account(**ctx)


def test_link_to_signed_in_user_only_when_linking_a_new_account():
    user = UserFactory()
    assert pipeline.link_to_signed_in_user(user=user) == {"link_reason": "signed_in"}
    assert pipeline.link_to_signed_in_user(user=user, social=object()) is None
    assert pipeline.link_to_signed_in_user(user=None) is None


def test_link_by_verified_email_needs_the_providers_word(ctx):
    verified_user(email="ann@example.com")
    assert (
        pipeline.link_by_verified_email(**ctx, email="ann@example.com", email_verified=False)
        is None
    )
    assert (
        pipeline.link_by_verified_email(**ctx, email="bob@example.com", email_verified=True) is None
    )


def test_link_by_verified_email_keeps_a_verified_users_password(ctx):
    user = verified_user(email="ann@example.com", password="pw-123456789")
    out = pipeline.link_by_verified_email(**ctx, email="ann@example.com", email_verified=True)
    assert out["user"] == user and out["is_new"] is False
    user.refresh_from_db()
    assert user.has_usable_password()


def test_link_by_verified_email_proves_an_unverified_address_and_evicts_its_squatter(ctx):
    squatter = UserFactory(email="ann@example.com", password="pw-123456789")
    session = AuthSessionFactory(user=squatter)

    out = pipeline.link_by_verified_email(**ctx, email="ann@example.com", email_verified=True)

    assert out["user"] == squatter
    squatter.refresh_from_db()
    assert squatter.email_verified and squatter.password is None
    assert AuthSession.objects.get(pk=session.pk).revoked
    assert AuthEvent.objects.filter(type="oauth_email_claimed", user=squatter).exists()


def test_link_by_verified_email_unlinks_the_squatters_provider_accounts(ctx):
    squatter = UserFactory(email="ann@example.com")
    OAuthAccountFactory(user=squatter, provider="github", provider_account_id="666")

    pipeline.link_by_verified_email(**ctx, email="ann@example.com", email_verified=True)

    assert not OAuthAccount.objects.filter(user=squatter).exists()
    assert AuthEvent.objects.filter(type="oauth_unlinked", user=squatter).exists()


def test_link_by_verified_email_keeps_a_verified_users_links(ctx):
    user = verified_user(email="ann@example.com")
    OAuthAccountFactory(user=user, provider="github", provider_account_id="7")

    pipeline.link_by_verified_email(**ctx, email="ann@example.com", email_verified=True)

    assert OAuthAccount.objects.filter(user=user).exists()


def test_link_by_verified_email_skips_when_a_user_is_already_decided(ctx):
    verified_user(email="ann@example.com")
    out = pipeline.link_by_verified_email(
        **ctx, email="ann@example.com", email_verified=True, user=UserFactory()
    )
    assert out is None


def test_unverified_email_of_an_existing_user_is_refused():
    UserFactory(email="ann@example.com")
    with pytest.raises(OAuthRefused) as refused:
        pipeline.refuse_unverified_email_of_existing_user(
            email="ann@example.com", email_verified=False
        )
    assert refused.value.code == "email_not_verified_by_provider"
    assert refused.value.email == "ann@example.com"


@pytest.mark.parametrize("email_verified", [True, False])
def test_unverified_email_rule_lets_other_cases_through(email_verified):
    UserFactory(email="ann@example.com")
    pipeline.refuse_unverified_email_of_existing_user(email="bob@example.com", email_verified=False)
    pipeline.refuse_unverified_email_of_existing_user(
        email="ann@example.com", email_verified=email_verified, user=UserFactory()
    )


@pytest.mark.parametrize("email_verified", [True, False])
def test_create_user_without_password(email_verified):
    out = pipeline.create_user(
        email="new@example.com", email_verified=email_verified, details={"fullname": "New One"}
    )
    user = User.objects.get(email="new@example.com")
    assert out == {"user": user, "is_new": True, "link_reason": "new_user"}
    assert user.email_verified is email_verified and user.password is None
    assert user.name == "New One"


def test_create_user_needs_an_email():
    with pytest.raises(OAuthRefused, match="email_missing"):
        pipeline.create_user(email="", email_verified=False, details={})


def test_create_user_skips_when_a_user_is_decided():
    assert (
        pipeline.create_user(
            email="x@example.com", email_verified=True, details={}, user=UserFactory()
        )
        is None
    )
    assert User.objects.count() == 1


def test_link_account_records_the_link_and_an_audit_event(ctx):
    user = UserFactory()
    out = pipeline.link_account(**ctx, user=user, link_reason="new_user")
    link = OAuthAccount.objects.get()
    assert out == {"social": link}
    assert (link.user, link.provider, link.provider_account_id) == (user, "google", "g-1")
    assert AuthEvent.objects.get(type="oauth_linked").detail["reason"] == "new_user"


def test_link_account_of_a_concurrent_duplicate_raises_integrity_error(ctx):
    OAuthAccountFactory(provider="google", provider_account_id="g-1")
    with pytest.raises(IntegrityError):
        pipeline.link_account(**ctx, user=UserFactory())


def test_store_tokens_keeps_the_refresh_token_the_provider_did_not_resend():
    link = OAuthAccountFactory(provider="google", provider_account_id="g-1", refresh_token="1//old")
    pipeline.store_tokens(social=link, response={"access_token": "ya29.new", "expires_in": 60})
    link.refresh_from_db()
    assert (link.access_token, link.refresh_token) == ("ya29.new", "1//old")
    assert link.expires_at is not None
