"""The one sign-in service. Every way in (password, registration, Google and GitHub, an emailed
code, a passkey) ends in `sign_in`, so a rule that must hold before a session exists is written
once and no method can skip it. Two-factor is decided here too: for a user who has it on, a
method that proved only the first factor ends in SecondFactorPending (an mfa_token, no
session), and the session comes when the code does (accounts/mfa/verify.py), through `sign_in`
again."""

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.auth import login as django_login
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import status

from accounts.audit import audit_record
from accounts.devices import device_cookie_value
from accounts.email_verification import email_verification_resend_quietly, verification_mandatory
from accounts.mfa.factors import mfa_enabled, mfa_methods
from accounts.mfa.pending import mfa_challenge_start
from accounts.models import AuthSession, User
from accounts.sessions import COOKIE, Transport, session_create
from core.errors import ApiError

# What the sign-in starts: one of our sessions (its token goes to the client), or Django's
# own session, which is all the admin site knows.
SessionKind = Literal["token", "django"]
TOKEN_SESSION: SessionKind = "token"
DJANGO_SESSION: SessionKind = "django"


@dataclass(frozen=True)
class SignedIn:
    """A new session; `token` is its session token, to hand to the client once (both empty
    for a Django session); `device` is the trusted-device cookie the browser gets."""

    user: User
    session: AuthSession | None
    token: str
    remember: bool
    device: str


@dataclass(frozen=True)
class SecondFactorPending:
    """No session yet: the first factor is proved and `mfa_token` awaits a second one
    (POST /api/auth/mfa/verify), by any of `methods`."""

    user: User
    mfa_token: str
    methods: list[str]


class SecondFactorRequired(ApiError):
    """A caller that cannot carry a pending sign-in (the admin's form) asked for a session
    without proving the second factor."""

    def __init__(self) -> None:
        super().__init__(
            "Enter a code from your authenticator app, or a recovery code.",
            "mfa_required",
            status.HTTP_403_FORBIDDEN,
        )


class EmailNotVerified(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "Confirm your email address first: we have sent you a new link.",
            "email_not_verified",
            status.HTTP_403_FORBIDDEN,
        )


def sign_in_checks(*, request: HttpRequest, user: User, method: str) -> None:
    """The rules a proved identity must still pass; a form can run them before `sign_in`.

    With mandatory verification an unverified address gets no session, and a fresh link is
    mailed (within the resend limit): it is the way in for someone whose link expired."""
    if verification_mandatory() and not user.email_verified:
        audit_record(
            "sign_in_failed", request=request, user=user, reason="email_not_verified", method=method
        )
        email_verification_resend_quietly(request=request, user=user)
        raise EmailNotVerified()


def sign_in(
    *,
    request: HttpRequest,
    user: User,
    method: str,
    remember: bool = True,
    session_kind: SessionKind = TOKEN_SESSION,
    transport: Transport = COOKIE,
    second_factor_proved: bool = False,
) -> SignedIn | SecondFactorPending:
    """Start a session for a user whose identity `method` has proved, once the checks pass.

    With two-factor on, a method that did not prove a second factor itself
    (`second_factor_proved`: a passkey is something the user has, unlocked by something they
    are or know) gets SecondFactorPending instead; the pending sign-in remembers
    `transport` and `remember`, so that completing it answers as this sign-in would have."""
    sign_in_checks(request=request, user=user, method=method)
    if not second_factor_proved and mfa_enabled(user):
        if session_kind == DJANGO_SESSION:
            raise SecondFactorRequired()
        token = mfa_challenge_start(
            user=user, method=method, transport=transport, remember=remember
        )
        return SecondFactorPending(user=user, mfa_token=token, methods=mfa_methods(user))
    session, token, detail = None, "", {}
    if session_kind == DJANGO_SESSION:
        # Django's login() cycles the session key (no fixation) and records last_login.
        django_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    else:
        session, token = session_create(user=user, request=request, remember=remember)
        detail = {"session_id": str(session.pk)}
        user.last_login = timezone.now()
        User.objects.filter(pk=user.pk).update(last_login=user.last_login)
    audit_record("signed_in", request=request, user=user, **detail, method=method)
    return SignedIn(
        user=user,
        session=session,
        token=token,
        remember=remember,
        device=device_cookie_value(user=user),
    )
