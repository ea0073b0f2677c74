"""The sign-in's second stage: a pending sign-in and a code become the session the first
stage asked for."""

from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.limits import MFA_VERIFY_PER_IP
from accounts.mfa.factors import InvalidCode, second_factor_verify
from accounts.mfa.pending import mfa_challenge_claim, mfa_challenge_failed, mfa_challenge_open
from accounts.sessions import Transport
from accounts.signin import SignedIn, sign_in
from core.errors import ApiError
from core.ratelimit import ratelimit_enforce


class InvalidMfaToken(ApiError):
    """400, like an emailed link's dead token: the request names nothing that still exists."""

    def __init__(self) -> None:
        super().__init__(
            "This sign-in has expired or was already completed: sign in again.",
            "invalid_mfa_token",
            status.HTTP_400_BAD_REQUEST,
        )


def mfa_sign_in_complete(
    *, request: HttpRequest, mfa_token: str, code: str
) -> tuple[SignedIn, Transport]:
    """The session of the pending sign-in and how to hand it over, once the code proves the
    second factor.

    A wrong code spends one of the token's five tries and one of the user's budget; the
    token is spent by the first right one. Tokens cannot be guessed; the per-IP limit bounds
    what a flood of made-up ones costs the database."""
    ratelimit_enforce(request=request, limits=[MFA_VERIFY_PER_IP])
    challenge = mfa_challenge_open(mfa_token)
    if challenge is None or not challenge.user.is_active:
        raise InvalidMfaToken()
    user = challenge.user
    factor = second_factor_verify(request=request, user=user, code=code, stage="sign_in")
    if factor is None:
        mfa_challenge_failed(challenge)
        raise InvalidCode()
    if not mfa_challenge_claim(challenge):
        raise InvalidMfaToken()
    audit_record("mfa_verified", request=request, user=user, factor=factor, method=challenge.method)
    signed_in = sign_in(
        request=request,
        user=user,
        method=challenge.method,
        remember=challenge.remember,
        transport=challenge.transport,
        second_factor_proved=True,
    )
    assert isinstance(signed_in, SignedIn)  # a proved second factor never leaves one pending
    return signed_in, challenge.transport
