"""DRF authentication by our session token, from the cookie or a bearer header."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request

from accounts.middleware import WWW_AUTHENTICATE
from accounts.models import AuthSession, User
from accounts.sessions import COOKIE, session_from_request

# Django's CSRF check passes these anyway; skipping it keeps the hot GET path short.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class CsrfFailed(exceptions.PermissionDenied):
    default_code = "csrf_failed"


def enforce_csrf(request: Request) -> None:
    """Django's own Origin/Referer and token checks (through DRF's), for cookie credentials."""
    try:
        SessionAuthentication().enforce_csrf(request)
    except exceptions.PermissionDenied as exc:
        raise CsrfFailed(str(exc.detail)) from exc


class SessionTokenAuthentication(BaseAuthentication):
    """Reuses the lookup ApiAuthMiddleware already made; never raises for a bad token.

    A stale cookie must not break public routes such as login; protected routes never get
    this far without a valid session, because the middleware answers 401 first."""

    def authenticate(self, request: Request) -> tuple[User, AuthSession] | None:
        lookup = session_from_request(request._request)
        if lookup.session is None:
            return None
        if lookup.transport == COOKIE and request.method not in SAFE_METHODS:
            enforce_csrf(request)
        return lookup.session.user, lookup.session

    def authenticate_header(self, request: Request) -> str:
        return WWW_AUTHENTICATE
