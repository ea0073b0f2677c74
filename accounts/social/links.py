"""Unlinking providers: by the user, never leaving them unable to sign in; and all of them
when the owner of an unverified address proves it."""

from django.db import transaction
from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.models import AuthSession, OAuthAccount, User
from accounts.reauth import ensure_recent_auth
from accounts.ways_in import way_in_remains
from core.errors import ApiError


def oauth_account_unlink(
    *,
    user: User,
    provider: str,
    session: AuthSession,
    password: str | None,
    code: str | None = None,
    passkey: dict | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Delete the user's links to the provider; returns how many rows went."""
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    with transaction.atomic():
        # The user's row lock serialises two unlinks that would each leave the other last.
        locked = User.objects.select_for_update().get(pk=user.pk)
        links = OAuthAccount.objects.filter(user=locked)
        if not links.filter(provider=provider).exists():
            raise ApiError(
                "No account of this provider is linked.",
                "account_not_linked",
                status.HTTP_404_NOT_FOUND,
            )
        if way_in_remains(user=locked, without_provider=provider):
            deleted = links.filter(provider=provider).delete()[0]
            audit_record("oauth_unlinked", request=request, user=locked, provider=provider)
            return deleted
    audit_record("oauth_unlink_refused", request=request, user=user, provider=provider)
    raise ApiError(
        "This is your only way to sign in: set a password, add a passkey or link another"
        " provider first.",
        "last_login_method",
        status.HTTP_409_CONFLICT,
    )


def oauth_accounts_unlink_for_claimed_email(
    *, user: User, request: HttpRequest | None = None
) -> int:
    """The address was unverified, so whoever linked these may have registered it first
    (GHSA-g38m-r43w-p2q7); its owner has just proved it. Returns how many rows went."""
    links = OAuthAccount.objects.filter(user=user)
    providers = list(links.values_list("provider", flat=True))
    links.delete()
    for provider in providers:
        audit_record(
            "oauth_unlinked", request=request, user=user, provider=provider, reason="email_claimed"
        )
    return len(providers)
