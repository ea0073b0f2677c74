"""Proof of the owner for sensitive actions: the password, or (without one) a recent sign-in;
and with two-factor on, a current code as well."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import serializers, status

from accounts.lockout import failure_budget, failure_count
from accounts.mfa.factors import InvalidCode, mfa_enabled, second_factor_verify
from accounts.models import AuthSession, User
from accounts.passkeys.assertion import passkey_assertion_verify
from accounts.passkeys.relying_party import PasskeyNotRecognised
from core.errors import ApiError


def password_confirm(*, user: User, password: str, request: HttpRequest | None) -> bool:
    """Check a signed-in user's password against the sign-in failure budget it would spend
    at login (the device's, or the account's): otherwise a stolen session would be an
    unlimited oracle for guessing the password, and strangers who lock the account would
    lock its owner out of their own sensitive actions."""
    if request is None:
        return user.check_password(password)
    budget = failure_budget(request=request, email=user.email)
    if user.check_password(password):
        return True
    failure_count(request=request, budget=budget, user=user)
    return False


def ensure_recent_auth(
    *,
    user: User,
    session: AuthSession,
    password: str | None,
    code: str | None = None,
    passkey: dict | None = None,
    request: HttpRequest | None = None,
) -> None:
    """The owner's proof, then (with two-factor on) a current code or one of the user's
    passkeys answering a challenge: neither a stolen session nor a stolen password alone is
    enough for a sensitive action."""
    _owner_confirm(user=user, session=session, password=password, request=request)
    if not mfa_enabled(user):
        return
    if passkey and request is not None:
        _passkey_confirm(user=user, assertion=passkey, request=request)
        return
    if not code:
        raise ApiError(
            "Confirm with a code from your authenticator app, or a recovery code.",
            "mfa_required",
            status.HTTP_403_FORBIDDEN,
        )
    if second_factor_verify(request=request, user=user, code=code, stage="step_up") is None:
        raise InvalidCode(status.HTTP_403_FORBIDDEN)


def _owner_confirm(
    *, user: User, session: AuthSession, password: str | None, request: HttpRequest | None
) -> None:
    """Users with a password must give it, however young the session: a stolen session must
    not be enough to take the account over. Others need a session younger than the limit."""
    if user.has_usable_password():
        if not password:
            message = "Confirm with your password to do this."
            raise serializers.ValidationError({"password": [message]}, code="required")
        if password_confirm(user=user, password=password, request=request):
            return
        raise ApiError("The password is wrong.", "invalid_password", status.HTTP_403_FORBIDDEN)
    if timezone.now() - session.created_at <= settings.FRESH_SESSION_AGE:
        return
    raise ApiError(
        "Confirm with your password or sign in again to do this.",
        "session_not_fresh",
        status.HTTP_403_FORBIDDEN,
    )


def _passkey_confirm(*, user: User, assertion: dict, request: HttpRequest) -> None:
    try:
        passkey_assertion_verify(
            user=user,
            challenge_id=assertion["challenge_id"],
            credential=assertion["credential"],
            request=request,
        )
    except PasskeyNotRecognised as exc:  # 403: a 401 would read as the session having ended
        raise ApiError(
            "This passkey is not one of this account's.",
            "passkey_not_recognised",
            status.HTTP_403_FORBIDDEN,
        ) from exc
