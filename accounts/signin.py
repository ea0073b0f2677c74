"""The one sign-in service. Every way in (password, registration, Google and GitHub) ends in
`sign_in`, so a rule that must hold before a session exists is written once and no method can
skip it. A second factor that is still pending will be decided here, as another outcome."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import status

from accounts.audit import audit_record
from accounts.email_verification import email_verification_resend_quietly
from accounts.models import AuthSession, User
from accounts.sessions import session_create
from core.errors import ApiError

# The `method` of a signed_in event; an OAuth sign-in records its provider's name.
PASSWORD = "password"
REGISTRATION = "registration"


@dataclass(frozen=True)
class SignedIn:
    """A new session; `token` is its session token, to hand to the client once."""

    user: User
    session: AuthSession
    token: str
    remember: bool


class EmailNotVerified(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "Confirm your email address first: we have sent you a new link.",
            "email_not_verified",
            status.HTTP_403_FORBIDDEN,
        )


def sign_in(*, request: HttpRequest, user: User, method: str, remember: bool = True) -> SignedIn:
    """Start a session for a user whose identity `method` has proved.

    With mandatory verification an unverified address gets no session, and a fresh link is
    mailed (within the resend limit): it is the way in for someone whose link expired."""
    if settings.EMAIL_VERIFICATION == "mandatory" and not user.email_verified:
        audit_record(
            "sign_in_failed", request=request, user=user, reason="email_not_verified", method=method
        )
        email_verification_resend_quietly(request=request, user=user)
        raise EmailNotVerified()
    session, token = session_create(user=user, request=request, remember=remember)
    user.last_login = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=user.last_login)
    audit_record("signed_in", request=request, user=user, session_id=str(session.pk), method=method)
    return SignedIn(user=user, session=session, token=token, remember=remember)
