"""Random secrets and their keyed digests: the only place a session or link token is hashed."""

import hashlib
import hmac
import secrets


def random_token() -> str:
    return secrets.token_urlsafe(32)


def keyed_digest(value: str, key: str) -> str:
    """HMAC-SHA256 in hex: what the database keeps instead of the token."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def digests_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
