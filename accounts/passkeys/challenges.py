"""WebAuthn challenges: random, answered once, for minutes, and only in the ceremony they were
issued for (a registration challenge is the user's; a sign-in one is named by its id)."""

import hashlib
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

Ceremony = Literal["registration", "authentication"]
REGISTRATION: Ceremony = "registration"
AUTHENTICATION: Ceremony = "authentication"


def _key(ceremony: Ceremony, subject: str) -> str:
    # The subject may come from the client: hashed, it is always a short, safe cache key.
    return f"webauthn:{ceremony}:{hashlib.sha256(subject.encode()).hexdigest()}"


def challenge_issue(*, ceremony: Ceremony, subject: str, challenge: bytes) -> None:
    """Hold the challenge in the shared cache, which lets it expire; a newer one for the same
    subject replaces it."""
    value = bytes_to_base64url(challenge)
    cache.set(_key(ceremony, subject), value, timeout=settings.WEBAUTHN_CHALLENGE_SECONDS)


def challenge_take(*, ceremony: Ceremony, subject: str) -> bytes | None:
    """The challenge, removed as it is read; None when it expired, was never issued or was
    taken already. Only one of two concurrent takers deletes the key, so only one gets it."""
    key = _key(ceremony, subject)
    value = cache.get(key)
    if value is None or not cache.delete(key):
        return None
    return base64url_to_bytes(value)
