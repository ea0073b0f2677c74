"""DRF authentication by our session token, from the cookie or a bearer header."""

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from accounts.models import AuthSession, User
from accounts.sessions import session_from_request

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class CsrfFailed(exceptions.PermissionDenied):
    default_code = "csrf_failed"


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> str:
        return reason


def enforce_csrf(request: HttpRequest) -> None:
    """Django's own Origin/Referer and token checks, for cookie-borne credentials."""

    def no_response(request: HttpRequest) -> None:
        return None

    check = _CsrfCheck(no_response)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise CsrfFailed(f"CSRF check failed: {reason}")


class SessionTokenAuthentication(BaseAuthentication):
    """Reuses the lookup ApiAuthMiddleware already made; never raises for a bad token.

    A stale cookie must not break public routes such as login; protected routes never get
    this far without a valid session, because the middleware answers 401 first."""

    def authenticate(self, request: Request) -> tuple[User, AuthSession] | None:
        lookup = session_from_request(request._request)
        if lookup.session is None:
            return None
        if lookup.transport == "cookie" and request.method not in SAFE_METHODS:
            enforce_csrf(request._request)
        return lookup.session.user, lookup.session

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
