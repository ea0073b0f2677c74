"""Proof of the owner for sensitive actions: the password, or (without one) a recent sign-in."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import serializers, status

from accounts.limits import LOGIN_FAILURES_PER_EMAIL
from accounts.models import AuthSession, User
from core.errors import ApiError
from core.ratelimit import ratelimit_check_failures, ratelimit_count_failure


def password_confirm(*, user: User, password: str, request: HttpRequest | None) -> bool:
    """Check a signed-in user's password against the sign-in failure budget of the account.

    Otherwise a stolen session would be an unlimited oracle for guessing the password."""
    if request is not None:
        ratelimit_check_failures(request=request, limit=LOGIN_FAILURES_PER_EMAIL, email=user.email)
    if user.check_password(password):
        return True
    if request is not None:
        ratelimit_count_failure(
            request=request, limit=LOGIN_FAILURES_PER_EMAIL, email=user.email, user=user
        )
    return False


def ensure_recent_auth(
    *,
    user: User,
    session: AuthSession,
    password: str | None,
    request: HttpRequest | None = None,
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
