"""The linking rules of social sign-in, as social-auth pipeline steps (SOCIAL_AUTH_PIPELINE).

Each step receives the pipeline's keyword arguments (backend, strategy, storage, uid, details,
response, user: the signed-in user when linking, else None) and returns what it adds. The
pipeline runs in one transaction (accounts/social/strategy.py); a refusal rolls it back."""

from typing import Any

from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import User, normalize_email
from accounts.names import name_clean
from accounts.sessions import sessions_revoke_for_user
from accounts.social.links import oauth_accounts_unlink_for_claimed_email
from accounts.social.provider_tokens import provider_tokens_store


class OAuthRefused(Exception):
    """A rule refused the sign-in; `code` is the stable code the frontend receives."""

    def __init__(self, code: str, *, user: User | None = None, email: str = ""):
        super().__init__(code)
        self.code = code
        self.user = user
        self.email = email


def provider_email(details: dict, **kwargs) -> dict[str, Any]:
    """The address in our one case, and whether the provider vouches for it."""
    email = normalize_email(details.get("email") or "")
    return {"email": email, "email_verified": bool(email) and details.get("email_verified") is True}


def known_account(backend, storage, uid: str, user: User | None = None, **kwargs):
    """Rule 1: a known provider account signs its user in. When linking, it must be ours."""
    social = storage.user.get_social_auth(backend.name, uid)
    if social is None:
        return None
    if user is not None and social.user_id != user.pk:
        raise OAuthRefused("account_already_linked", user=user)
    if not social.user.is_active:
        raise OAuthRefused("account_disabled", user=social.user)
    return {"user": social.user, "social": social, "is_new": False}


def link_to_signed_in_user(user: User | None = None, social=None, **kwargs):
    """Rule 5: a signed-in user links the provider account whatever its email."""
    if user is not None and social is None:
        return {"link_reason": "signed_in"}
    return None


def link_by_verified_email(
    backend, strategy, email: str, email_verified: bool, user: User | None = None, **kwargs
):
    """Rule 2: an address the provider vouches for links to the local user who has it.

    If that user never verified it, a stranger may have registered it first
    (GHSA-g38m-r43w-p2q7): the provider's word now proves it, so the password that stranger
    set is removed, every session they opened is revoked and every provider account they
    linked is unlinked."""
    if user is not None or not email_verified:
        return None
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is None:
        return None
    if not existing.is_active:
        raise OAuthRefused("account_disabled", user=existing)
    if existing.email_verified:
        return {"user": existing, "is_new": False, "link_reason": "verified_email"}
    had_password = existing.has_usable_password()
    existing.email_verified_at = timezone.now()
    existing.password = None
    existing.save(update_fields=["email_verified_at", "password", "updated_at"])
    revoked = sessions_revoke_for_user(user=existing)
    oauth_accounts_unlink_for_claimed_email(user=existing, request=strategy.request)
    audit_record(
        "oauth_email_claimed",
        request=strategy.request,
        user=existing,
        provider=backend.name,
        password_removed=had_password,
        sessions_revoked=revoked,
    )
    return {"user": existing, "is_new": False, "link_reason": "verified_email"}


def refuse_unverified_email_of_existing_user(
    email: str, email_verified: bool, user: User | None = None, **kwargs
) -> None:
    """Rule 3: an address the provider does not vouch for never reaches a local account."""
    if user is None and not email_verified and User.objects.filter(email=email).exists():
        raise OAuthRefused("email_not_verified_by_provider", email=email)


def create_user(
    email: str, email_verified: bool, details: dict, user: User | None = None, **kwargs
):
    """Rule 4: a new user without a password, verified when the provider vouches for it."""
    if user is not None:
        return None
    if not email:
        raise OAuthRefused("email_missing")
    created = User.objects.create_user(
        email=email,
        password=None,
        name=name_clean(details.get("fullname") or ""),
        email_verified_at=timezone.now() if email_verified else None,
    )
    return {"user": created, "is_new": True, "link_reason": "new_user"}


def link_account(backend, strategy, storage, uid: str, user: User, social=None, **kwargs):
    """Record the link in oauth_accounts; a concurrent duplicate raises IntegrityError."""
    if social is not None:
        return None
    social = storage.user.create_social_auth(user, uid, backend.name)
    audit_record(
        "oauth_linked",
        request=strategy.request,
        user=user,
        provider=backend.name,
        provider_account_id=uid,
        reason=kwargs.get("link_reason"),
    )
    return {"social": social}


def store_tokens(social, response: dict, **kwargs) -> None:
    """Keep the provider's tokens, encrypted, on the link row; nothing else keeps them."""
    provider_tokens_store(account=social, response=response)
