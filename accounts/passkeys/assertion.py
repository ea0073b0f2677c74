"""Proving a passkey: the assertion, checked against the challenge it answers, this RP ID and
these origins, the stored public key and the signature counter. Used to sign in
(accounts/passkeys/login.py), as a second factor and to confirm a sensitive action."""

from django.http import HttpRequest
from django.utils import timezone
from webauthn import verify_authentication_response
from webauthn.helpers import base64url_to_bytes

from accounts.audit import audit_record
from accounts.lockout import failure_budget, failure_count
from accounts.models import Passkey, User
from accounts.passkeys.challenges import AUTHENTICATION, challenge_take
from accounts.passkeys.relying_party import (
    MALFORMED,
    InvalidCredential,
    PasskeyNotRecognised,
    expected_origins,
    rp_id,
)
from accounts.sign_in_methods import PASSKEY


def _failed(*, request: HttpRequest, user: User | None, reason: str, **detail) -> None:
    audit_record(
        "sign_in_failed", request=request, user=user, reason=reason, method=PASSKEY, **detail
    )


def _passkey_named(*, credential: dict, user: User | None) -> Passkey | None:
    """The active passkey the assertion names (one of `user`'s, when given), or None.

    The authenticator returns the user handle it stored at registration; when it does, it
    must be the passkey owner's."""
    credential_id = credential.get("id")
    if not isinstance(credential_id, str) or not credential_id:
        return None
    passkey = Passkey.objects.select_related("user").filter(credential_id=credential_id).first()
    if passkey is None or not passkey.user.is_active:
        return None
    if user is not None and passkey.user_id != user.pk:
        return None
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if handle and base64url_to_bytes(handle) != passkey.user.pk.bytes:
        return None
    return passkey


def _counter_advance(*, passkey: Passkey, new_count: int, backed_up: bool) -> bool:
    """Record the use; False when the counter did not advance although the authenticator
    counts (a cloned key replaying an older state, or a concurrent use that won the race).
    Authenticators that do not count report 0 every time, which stays accepted."""
    stored = passkey.sign_count
    counts = new_count > 0 or stored > 0
    if counts and new_count <= stored:
        return False
    advanced = Passkey.objects.filter(pk=passkey.pk, sign_count=stored).update(
        sign_count=new_count, last_used_at=timezone.now(), backed_up=backed_up
    )
    return bool(advanced) or not counts


def passkey_assertion_verify(
    *, user: User | None, challenge_id: str, credential: dict, request: HttpRequest
) -> Passkey:
    """The passkey an assertion proves, for a sign-in (`user` None: whoever it belongs to) or
    as the second factor of `user`. The challenge is used up whatever the outcome; failures
    are audited and spend the account's sign-in failure budget.

    Raises PasskeyNotRecognised (401: no such passkey, or a clone), InvalidCredential (400:
    an expired or reused challenge, a forged, malformed or unverified answer), RateLimited."""
    challenge = challenge_take(ceremony=AUTHENTICATION, subject=challenge_id)
    try:
        passkey = _passkey_named(credential=credential, user=user)
    except MALFORMED:
        passkey = None
    if passkey is None:
        _failed(request=request, user=user, reason="unknown_passkey")
        raise PasskeyNotRecognised()
    owner = passkey.user
    budget = failure_budget(request=request, email=owner.email)
    if challenge is None:
        _failed(request=request, user=owner, reason="no_challenge")
        failure_count(request=request, budget=budget, user=owner)
        raise InvalidCredential()
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origins(),
            credential_public_key=bytes(passkey.public_key),
            # The counter is compared below, once the signature is known to be genuine.
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except MALFORMED as exc:
        _failed(request=request, user=owner, reason="invalid_assertion")
        failure_count(request=request, budget=budget, user=owner)
        raise InvalidCredential() from exc
    advanced = _counter_advance(
        passkey=passkey, new_count=verified.new_sign_count, backed_up=verified.credential_backed_up
    )
    if not advanced:
        audit_record(
            "passkey_clone_suspected",
            request=request,
            user=owner,
            passkey_id=str(passkey.pk),
            stored_count=passkey.sign_count,
            presented_count=verified.new_sign_count,
        )
        failure_count(request=request, budget=budget, user=owner)
        raise PasskeyNotRecognised()
    passkey.refresh_from_db()
    return passkey
