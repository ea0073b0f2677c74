"""Signing in with a passkey: options with a fresh challenge and no list of credentials (the
browser offers the user's discoverable ones), then the assertion, proved by
accounts/passkeys/assertion.py, and a session through the sign-in service."""

from django.http import HttpRequest
from webauthn import generate_authentication_options
from webauthn.helpers import options_to_json_dict
from webauthn.helpers.structs import UserVerificationRequirement

from accounts.digests import random_token
from accounts.limits import LOGIN_PER_IP, PASSKEY_OPTIONS_PER_IP
from accounts.passkeys.assertion import passkey_assertion_verify
from accounts.passkeys.challenges import AUTHENTICATION, challenge_issue
from accounts.passkeys.relying_party import rp_id, timeout_ms
from accounts.sign_in_methods import PASSKEY
from accounts.signin import SignedIn, sign_in
from core.ratelimit import ratelimit_enforce


def passkey_login_options(*, request: HttpRequest) -> dict:
    """PublicKeyCredentialRequestOptions as JSON, plus the `challenge_id` that names the
    challenge when the assertion comes back."""
    ratelimit_enforce(request=request, limits=[PASSKEY_OPTIONS_PER_IP])
    options = generate_authentication_options(
        rp_id=rp_id(), timeout=timeout_ms(), user_verification=UserVerificationRequirement.REQUIRED
    )
    challenge_id = random_token()
    challenge_issue(ceremony=AUTHENTICATION, subject=challenge_id, challenge=options.challenge)
    return {**options_to_json_dict(options), "challenge_id": challenge_id}


def passkey_login(
    *, request: HttpRequest, challenge_id: str, credential: dict, remember: bool = True
) -> SignedIn:
    """A session for the passkey's owner. The passkey is two factors in one (a device, and
    the fingerprint or PIN that unlocked it, which user verification requires), so no second
    factor is asked for after it."""
    ratelimit_enforce(request=request, limits=[LOGIN_PER_IP])
    passkey = passkey_assertion_verify(
        user=None, challenge_id=challenge_id, credential=credential, request=request
    )
    return sign_in(
        request=request,
        user=passkey.user,
        method=PASSKEY,
        remember=remember,
        second_factor_proved=True,
    )
