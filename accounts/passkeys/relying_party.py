"""What every ceremony shares: this relying party's identity, and the answers to a credential
that fails."""

from django.conf import settings
from rest_framework import status
from webauthn.helpers.exceptions import WebAuthnException

from core.errors import ApiError

# What py_webauthn and its parsers (base64url, CBOR, COSE) raise on a malformed or forged
# response: every one of them is the client's fault, a 400, never a 500.
MALFORMED = (WebAuthnException, ValueError, TypeError, LookupError, AttributeError)


class InvalidCredential(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "The passkey's answer could not be verified; try again.", "invalid_credential"
        )


class PasskeyNotRecognised(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "This passkey is not recognised.",
            "passkey_not_recognised",
            status.HTTP_401_UNAUTHORIZED,
        )


def timeout_ms() -> int:
    """The browser's hint for how long to wait: the challenge's own lifetime."""
    return settings.WEBAUTHN_CHALLENGE_SECONDS * 1000


def rp_id() -> str:
    return settings.WEBAUTHN_RP_ID


def expected_origins() -> list[str]:
    return list(settings.WEBAUTHN_ORIGINS)
