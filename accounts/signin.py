"""Signing in with a password: the rate limits, the verification rule and the audit."""

from django.conf import settings
from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.email_address import email_verification_send
from accounts.errors import ApiError
from accounts.models import AuthSession, normalize_email
from accounts.ratelimits import (
    LOGIN_FAILURES_PER_EMAIL,
    LOGIN_PER_IP,
    LOGIN_PER_IP_EMAIL,
    RESEND_PER_EMAIL,
    RateLimited,
    ratelimit_check_failures,
    ratelimit_count_failure,
    ratelimit_enforce,
)
from accounts.sessions import session_create
from accounts.users import credentials_check


def user_sign_in(
    *, request: HttpRequest, email: str, password: str, remember: bool
) -> tuple[AuthSession, str]:
    """A new session for the right password; one answer for every wrong one."""
    email = normalize_email(email)
    ratelimit_enforce(request=request, limits=[LOGIN_PER_IP_EMAIL, LOGIN_PER_IP], email=email)
    ratelimit_check_failures(request=request, limit=LOGIN_FAILURES_PER_EMAIL, email=email)
    user, account, failure = credentials_check(email=email, password=password)
    if user is None:
        audit_record("sign_in_failed", request=request, user=account, email=email, reason=failure)
        ratelimit_count_failure(
            request=request, limit=LOGIN_FAILURES_PER_EMAIL, email=email, user=account
        )
        raise ApiError(
            "Invalid email or password.", "invalid_credentials", status.HTTP_401_UNAUTHORIZED
        )
    if settings.EMAIL_VERIFICATION == "mandatory" and not user.email_verified:
        audit_record("sign_in_failed", request=request, user=user, reason="email_not_verified")
        verification_resend_quietly(request=request, user=user)
        raise ApiError(
            "Confirm your email address first: we have sent you a new link.",
            "email_not_verified",
            status.HTTP_403_FORBIDDEN,
        )
    session, token = session_create(user=user, request=request, remember=remember)
    audit_record("signed_in", request=request, user=user, session_id=str(session.pk))
    return session, token


def verification_resend_quietly(*, request: HttpRequest, user) -> None:
    """The only way back in for an unverified user whose link expired, within the resend
    limit (silently, since the password was right and the answer stays the same)."""
    try:
        ratelimit_enforce(request=request, limits=[RESEND_PER_EMAIL], email=user.email, user=user)
    except RateLimited:
        return
    email_verification_send(user=user)
