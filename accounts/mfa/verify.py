"""The sign-in's second stage: a pending sign-in and a code become the session the first
stage asked for."""

from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.limits import MFA_VERIFY_PER_IP
from accounts.mfa.factors import PASSKEY, Factor, InvalidCode, second_factor_verify
from accounts.mfa.pending import mfa_challenge_claim, mfa_challenge_failed, mfa_challenge_open
from accounts.models import MfaChallenge
from accounts.passkeys.assertion import passkey_assertion_verify
from accounts.passkeys.relying_party import InvalidCredential, PasskeyNotRecognised
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
    *, request: HttpRequest, mfa_token: str, code: str, passkey: dict | None = None
) -> tuple[SignedIn, Transport]:
    """The session of the pending sign-in and how to hand it over, once the code (or one of
    the user's passkeys, answering a challenge) proves the second factor.

    A wrong code spends one of the token's five tries and one of the user's budget; a
    passkey that fails spends a try and the account's sign-in budget. The token is spent by
    the first right answer. Tokens cannot be guessed; the per-IP limit bounds what a flood
    of made-up ones costs the database."""
    ratelimit_enforce(request=request, limits=[MFA_VERIFY_PER_IP])
    challenge = mfa_challenge_open(mfa_token)
    if challenge is None or not challenge.user.is_active:
        raise InvalidMfaToken()
    user = challenge.user
    if passkey is not None:
        factor = _passkey_proves(request=request, challenge=challenge, assertion=passkey)
    else:
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


def _passkey_proves(*, request: HttpRequest, challenge: MfaChallenge, assertion: dict) -> Factor:
    """PASSKEY when the assertion is one of the pending user's passkeys; its failure (audited
    and counted by the passkey check) spends one of the token's tries too."""
    try:
        passkey_assertion_verify(
            user=challenge.user,
            challenge_id=assertion["challenge_id"],
            credential=assertion["credential"],
            request=request,
        )
    except (PasskeyNotRecognised, InvalidCredential):
        mfa_challenge_failed(challenge)
        raise
    return PASSKEY
