"""social-auth's storage (SOCIAL_AUTH_STORAGE) without social_django's tables.

Links are read and written in oauth_accounts, the one record of them. The single-use values
of a sign-in (the OAuth state's claim, the OpenID Connect nonce) live in the shared cache:
Redis in production, so that every worker sees a value consumed by another."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from social_core.storage import AssociationMixin, BaseStorage, NonceMixin, UserMixin

from accounts.models import OAuthAccount, User

# Longer than social-core's state and nonce lifetimes (30 minutes), so expiry is theirs.
SINGLE_USE_TTL_SECONDS = 3600


def _key(kind: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"social:{kind}:{digest}"


class LinkedAccounts(UserMixin):
    """The user-social-auth model of social-auth, on oauth_accounts."""

    @classmethod
    def user_model(cls) -> type[User]:
        return User

    @classmethod
    def get_social_auth(
        cls, provider: str, uid: str, id_key: str | None = None
    ) -> OAuthAccount | None:
        return (
            OAuthAccount.objects.select_related("user")
            .filter(provider=provider, provider_account_id=str(uid))
            .first()
        )

    @classmethod
    def create_social_auth(
        cls, user: User, uid: str, provider: str, id_key: str = ""
    ) -> OAuthAccount:
        """Raises IntegrityError when a concurrent sign-in linked the same account first."""
        with transaction.atomic():
            return OAuthAccount.objects.create(
                user=user, provider=provider, provider_account_id=str(uid)
            )


class CachedNonce(NonceMixin):
    """Claims on OAuth `state` values: `use` claims once, `consume` releases once."""

    @classmethod
    def use(cls, server_url: str, timestamp, salt: str) -> bool:
        return cache.add(_key("nonce", server_url, timestamp, salt), 1, SINGLE_USE_TTL_SECONDS)

    @classmethod
    def consume(cls, server_url: str, timestamp: int, salt: str) -> bool:
        return bool(cache.delete(_key("nonce", server_url, timestamp, salt)))


@dataclass
class CachedAssociation(AssociationMixin):
    """The OpenID Connect nonce social-core stores as an "association"."""

    id: str
    handle: str
    issued: int
    lifetime: int
    assoc_type: str

    @classmethod
    def store(cls, server_url, association) -> None:
        key = _key("association", server_url, association.handle)
        value = (association.issued, association.lifetime, association.assoc_type)
        cache.set(key, value, max(association.lifetime, 1))

    @classmethod
    def get(cls, server_url: str | None = None, handle: str | None = None):
        key = _key("association", server_url, handle)
        value = cache.get(key)
        return [] if value is None else [cls(key, handle or "", *value)]

    @classmethod
    def remove(cls, ids_to_delete) -> None:
        cache.delete_many(list(ids_to_delete))


class SocialStorage(BaseStorage):
    user = LinkedAccounts
    nonce = CachedNonce
    association = CachedAssociation

    @classmethod
    def is_integrity_error(cls, exception) -> bool:
        return isinstance(exception, IntegrityError)
