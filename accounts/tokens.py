"""Random tokens and their keyed digests; the only place a token is hashed."""

import hashlib
import hmac
import secrets


def token_generate() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str, secret: str) -> str:
    """HMAC-SHA256 in hex: what the database keeps instead of the token."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def digests_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
