"""Provider tokens on oauth_accounts: store what the provider answered, hand out a valid
access token (refreshing it when expired). The columns encrypt themselves (encryption.py)."""

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework import status
from social_core.exceptions import AuthCredentialError, SocialAuthBaseException

from accounts.models import OAuthAccount, User
from accounts.social.backends import backend_load
from core.errors import ApiError

logger = logging.getLogger(__name__)

# A token this close to expiry is refreshed rather than handed out.
EXPIRY_MARGIN = timedelta(seconds=60)


def provider_tokens_store(*, account: OAuthAccount, response: Mapping[str, Any]) -> None:
    """Only the token columns: the ID token and the rest of the answer are not kept."""
    account.access_token = response.get("access_token") or account.access_token
    # Google sends a refresh token only on first consent; keep the one we have.
    account.refresh_token = response.get("refresh_token") or account.refresh_token
    account.expires_at = _expires_at(response.get("expires_in"))
    account.scope = response.get("scope") or account.scope
    account.token_type = response.get("token_type") or account.token_type
    account.save(
        update_fields=[
            "access_token",
            "refresh_token",
            "expires_at",
            "scope",
            "token_type",
            "updated_at",
        ]
    )


def _expires_at(expires_in: Any):
    try:
        seconds = int(expires_in)
    except (TypeError, ValueError):
        return None
    return timezone.now() + timedelta(seconds=seconds)


def provider_access_token(*, user: User, provider: str) -> str:
    """A valid access token of the user's account at the provider, refreshed if expired."""
    account = (
        OAuthAccount.objects.filter(user=user, provider=provider).order_by("-updated_at").first()
    )
    if account is None or not account.access_token:
        raise ApiError("No account of this provider is linked.", "account_not_linked", 404)
    if account.expires_at is None or account.expires_at > timezone.now() + EXPIRY_MARGIN:
        return account.access_token
    if not account.refresh_token:
        raise _reauthentication_required()
    backend = backend_load(provider=provider)
    try:
        answer = backend.refresh_token(account.refresh_token)
    except AuthCredentialError as exc:
        raise _reauthentication_required() from exc
    except SocialAuthBaseException as exc:
        logger.warning("Refreshing a %s token failed: %s", provider, exc.code)
        raise ApiError(
            "The provider could not be reached.", "provider_error", status.HTTP_502_BAD_GATEWAY
        ) from exc
    claims = getattr(backend, "id_token", None)
    if claims and claims.get("sub") != account.provider_account_id:
        raise _reauthentication_required()
    with transaction.atomic():
        locked = OAuthAccount.objects.select_for_update().get(pk=account.pk)
        provider_tokens_store(account=locked, response=answer)
    return locked.access_token


def _reauthentication_required() -> ApiError:
    return ApiError(
        "Sign in with the provider again to renew its access.",
        "reauthentication_required",
        status.HTTP_409_CONFLICT,
    )
