"""Link tokens: the single-use tokens of emailed links, random, stored as a digest, bound to
one user and one purpose (verify an address, reset a password, change the address, take
the account back after a change of address)."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.digests import keyed_digest, random_token
from accounts.models import User, VerificationToken
from core.errors import ApiError

Purpose = VerificationToken.Purpose


class LinkInvalid(ApiError):
    def __init__(self) -> None:
        super().__init__("This link is invalid or has already been used.", "invalid_token")


class LinkExpired(ApiError):
    def __init__(self) -> None:
        super().__init__("This link has expired; ask for a new one.", "token_expired")


def _digest(token: str) -> str:
    return keyed_digest(token, settings.AUTH_SESSION_SECRET)


def link_token_issue(
    *, user: User, purpose: str, new_email: str | None = None, replace: bool = True
) -> tuple[VerificationToken, str]:
    """A new token replaces the user's open ones of the same purpose (unless `replace` is
    false); the plain token is returned here, once, for the mail."""
    token = random_token()
    with transaction.atomic():
        if replace:
            link_tokens_invalidate(user=user, purposes=[purpose])
        row = VerificationToken.objects.create(
            user=user,
            purpose=purpose,
            token_hash=_digest(token),
            new_email=new_email,
            expires_at=timezone.now() + settings.VERIFICATION_TOKEN_LIFETIMES[purpose],
        )
    return row, token


def link_tokens_invalidate(*, user: User, purposes: Iterable[str]) -> int:
    unused = VerificationToken.objects.filter(user=user, purpose__in=list(purposes), used_at=None)
    return unused.delete()[0]


def link_token_consume(*, token: str, purposes: Iterable[str]) -> VerificationToken:
    """Claim the token with one conditional UPDATE, so of two concurrent uses one wins.

    Call it inside the transaction that acts on the token: if that fails, the claim rolls
    back with it and the link still works."""
    purposes = list(purposes)
    digest = _digest(token)
    now = timezone.now()
    claimed = VerificationToken.objects.filter(
        token_hash=digest, purpose__in=purposes, used_at=None, expires_at__gt=now
    ).update(used_at=now)
    row = VerificationToken.objects.select_related("user").filter(token_hash=digest).first()
    if claimed:
        if row.user.is_active:
            return row
        raise LinkInvalid()
    if row is not None and row.purpose in purposes and row.used_at is None:
        raise LinkExpired()
    raise LinkInvalid()
