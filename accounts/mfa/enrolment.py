"""Turning two-factor on and off: set-up behind the password, on at the first right code
(with recovery codes), off with the password and a code, new recovery codes, and an
operator's reset for a user who lost every factor."""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import status

from accounts.audit import audit_record
from accounts.mfa.factors import code_budget_check, code_failed, mfa_enabled
from accounts.mfa.recovery_codes import (
    recovery_codes_delete,
    recovery_codes_issue,
    recovery_codes_left,
)
from accounts.mfa.totp import totp_code_accept, totp_qr_svg, totp_secret_new, totp_uri
from accounts.models import AuthSession, MfaChallenge, TotpDevice, User
from accounts.passkeys.credentials import passkeys_of
from accounts.reauth import ensure_recent_auth
from accounts.sessions import Actor, sessions_revoke_for_user
from core.errors import ApiError


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    otpauth_uri: str
    qr_svg: str


@dataclass(frozen=True)
class MfaStatus:
    totp: bool
    recovery_codes_left: int
    passkeys: int


def mfa_status(*, user: User) -> MfaStatus:
    on = mfa_enabled(user)
    return MfaStatus(
        totp=on,
        recovery_codes_left=recovery_codes_left(user=user) if on else 0,
        passkeys=passkeys_of(user).count(),
    )


def totp_setup(
    *, user: User, session: AuthSession, password: str | None, request: HttpRequest | None
) -> TotpSetup:
    """A new secret for the authenticator app; nothing is on until a code confirms it.

    Behind the owner's proof, so a stolen session cannot attach the thief's phone."""
    if mfa_enabled(user):
        raise ApiError(
            "Two-factor authentication is already on: turn it off first.",
            "mfa_already_enabled",
            status.HTTP_409_CONFLICT,
        )
    ensure_recent_auth(user=user, session=session, password=password, request=request)
    secret = totp_secret_new()
    TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": None, "last_used_step": None}
    )
    uri = totp_uri(secret=secret, user=user)
    return TotpSetup(secret=secret, otpauth_uri=uri, qr_svg=totp_qr_svg(uri))


def totp_confirm(*, user: User, code: str, request: HttpRequest | None) -> list[str]:
    """Turn TOTP on with a first right code (the app holds the secret); returns the
    recovery codes, the only time they are shown."""
    device = TotpDevice.objects.filter(user=user, confirmed_at=None).first()
    if device is None:
        raise ApiError(
            "Start the set-up first (or two-factor authentication is already on).",
            "mfa_setup_required",
            status.HTTP_409_CONFLICT,
        )
    # Counted like any other wrong code: a stolen session must not guess its way into
    # turning on a set-up the owner abandoned (and into its recovery codes).
    code_budget_check(request=request, user=user)
    if not totp_code_accept(device=device, code=code.strip().replace(" ", "")):
        code_failed(request=request, user=user, stage="confirm")
        raise ApiError("The code is wrong.", "invalid_code", status.HTTP_400_BAD_REQUEST)
    with transaction.atomic():
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        codes = recovery_codes_issue(user=user)
        audit_record("mfa_enabled", request=request, user=user, factor="totp")
    return codes


def totp_disable(
    *,
    user: User,
    session: AuthSession,
    password: str | None,
    code: str | None,
    passkey: dict | None = None,
    request: HttpRequest | None,
) -> int:
    """Turn two-factor off (the owner's proof and a code); the recovery codes go too, and
    every other session ends: one may be a thief's. Returns how many ended."""
    if not mfa_enabled(user):
        raise ApiError(
            "Two-factor authentication is not on.", "mfa_not_enabled", status.HTTP_409_CONFLICT
        )
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    return _mfa_remove(user=user, keep=session, actor="user", request=request)


def recovery_codes_regenerate(
    *,
    user: User,
    session: AuthSession,
    password: str | None,
    code: str | None,
    passkey: dict | None = None,
    request: HttpRequest | None,
) -> list[str]:
    """A new set of recovery codes; the old set stops working."""
    if not mfa_enabled(user):
        raise ApiError(
            "Two-factor authentication is not on.", "mfa_not_enabled", status.HTTP_409_CONFLICT
        )
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    with transaction.atomic():
        codes = recovery_codes_issue(user=user)
        audit_record("recovery_codes_regenerated", request=request, user=user)
    return codes


def mfa_reset(*, user: User, actor: Actor, request: HttpRequest | None = None) -> int:
    """An operator turns two-factor off for a user who lost their authenticator and their
    recovery codes, after checking who they are; every session ends. Returns how many."""
    return _mfa_remove(user=user, keep=None, actor=actor, request=request)


def _mfa_remove(
    *, user: User, keep: AuthSession | None, actor: Actor, request: HttpRequest | None
) -> int:
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        recovery_codes_delete(user=user)
        MfaChallenge.objects.filter(user=user).delete()
        revoked = sessions_revoke_for_user(
            user=user, keep=keep, actor=actor, request=request, reason="mfa_disabled"
        )
        audit_record("mfa_disabled", request=request, user=user, by=actor, revoked_sessions=revoked)
    return revoked
