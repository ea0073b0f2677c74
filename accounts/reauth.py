"""The freshness rule for sensitive actions: the password, or a recent sign-in."""

from django.conf import settings
from django.utils import timezone
from rest_framework import status

from accounts.errors import ApiError
from accounts.models import AuthSession, User


def ensure_recent_auth(*, user: User, session: AuthSession, password: str | None) -> None:
    """Users with a password must give it; others need a session younger than the limit."""
    if user.has_usable_password():
        if password and user.check_password(password):
            return
        if password:
            raise ApiError("The password is wrong.", "invalid_password", status.HTTP_403_FORBIDDEN)
    if timezone.now() - session.created_at <= settings.FRESH_SESSION_AGE:
        return
    raise ApiError(
        "Confirm with your password or sign in again to do this.",
        "session_not_fresh",
        status.HTTP_403_FORBIDDEN,
    )
