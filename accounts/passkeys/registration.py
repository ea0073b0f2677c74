"""Adding a passkey while signed in: options behind the owner's proof, then the browser's
attestation, verified against the challenge, this RP ID and these origins."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from webauthn import generate_registration_options, verify_registration_response
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, options_to_json_dict
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts.audit import audit_record
from accounts.models import AuthSession, Passkey, User
from accounts.passkeys.challenges import REGISTRATION, challenge_issue, challenge_take
from accounts.passkeys.relying_party import (
    MALFORMED,
    InvalidCredential,
    expected_origins,
    rp_id,
    timeout_ms,
)
from accounts.reauth import ensure_recent_auth

MAX_TRANSPORTS = 8
CREDENTIAL_ID_MAX_LENGTH = Passkey._meta.get_field("credential_id").max_length


def passkey_registration_options(
    *,
    user: User,
    session: AuthSession,
    password: str | None,
    request: HttpRequest,
    code: str | None = None,
    passkey: dict | None = None,
) -> dict:
    """PublicKeyCredentialCreationOptions as JSON: a discoverable credential (so sign-in needs
    no address), user verification required, no attestation asked for (it would only name
    the authenticator's maker). The challenge is bound to this user and replaces any other."""
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    existing = user.passkeys.values_list("credential_id", flat=True)
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_name=user.email,
        # The user handle the authenticator stores: opaque, never the address.
        user_id=user.pk.bytes,
        user_display_name=user.name or user.email,
        timeout=timeout_ms(),
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in existing
        ],
    )
    challenge_issue(ceremony=REGISTRATION, subject=str(user.pk), challenge=options.challenge)
    return options_to_json_dict(options)


def _transports(credential: dict) -> list[str]:
    """The browser's hint of how the authenticator is reached, kept only if it is sane."""
    response = credential.get("response")
    transports = response.get("transports") if isinstance(response, dict) else None
    if not isinstance(transports, list):
        return []
    return [t for t in transports if isinstance(t, str) and len(t) <= 32][:MAX_TRANSPORTS]


def _refuse(*, request: HttpRequest, user: User, reason: str) -> InvalidCredential:
    audit_record("passkey_registration_failed", request=request, user=user, reason=reason)
    return InvalidCredential()


def passkey_register(*, user: User, credential: dict, name: str, request: HttpRequest) -> Passkey:
    """Store the new passkey once its attestation answers this user's open challenge."""
    challenge = challenge_take(ceremony=REGISTRATION, subject=str(user.pk))
    if challenge is None:
        raise _refuse(request=request, user=user, reason="no_challenge")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origins(),
            require_user_verification=True,
        )
    except MALFORMED as exc:
        raise _refuse(request=request, user=user, reason="invalid_attestation") from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if len(credential_id) > CREDENTIAL_ID_MAX_LENGTH:
        raise _refuse(request=request, user=user, reason="invalid_attestation")
    try:
        with transaction.atomic():
            passkey = Passkey.objects.create(
                user=user,
                credential_id=credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                name=name,
                backed_up=verified.credential_backed_up,
                transports=_transports(credential),
            )
    except IntegrityError as exc:  # this credential is registered already
        raise _refuse(request=request, user=user, reason="credential_taken") from exc
    audit_record(
        "passkey_registered", request=request, user=user, passkey_id=str(passkey.pk), name=name
    )
    return passkey
