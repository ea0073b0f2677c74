"""ApiAuthMiddleware: every /api/ route needs a valid session unless its view is marked public."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.sessions import (
    NOT_AUTHENTICATED,
    SESSION_EXPIRED,
    SESSION_REVOKED,
    session_from_request,
)
from core.errors import error_response
from core.origins import request_origin_is_trusted
from core.public import view_is_origin_checked, view_is_public

MESSAGES = {
    NOT_AUTHENTICATED: "Authentication credentials were not provided or are invalid.",
    SESSION_EXPIRED: "Your session has expired; sign in again.",
    SESSION_REVOKED: "This session was signed out; sign in again.",
}
WWW_AUTHENTICATE = 'Bearer realm="api"'


class ApiAuthMiddleware:
    """Deny by default: only the resolved view's own mark opens a route, never a path prefix."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/api/"):
            return None
        if view_is_public(view_func):
            return self._check_browser_origin(request, view_func)
        lookup = session_from_request(request)
        if lookup.session is None:
            code = lookup.failure or NOT_AUTHENTICATED
            return error_response(401, code, MESSAGES[code], WWW_Authenticate=WWW_AUTHENTICATE)
        return None

    @staticmethod
    def _check_browser_origin(request: HttpRequest, view_func) -> HttpResponse | None:
        """Refuse cross-site form posts to the sign-in routes (login CSRF and the like)."""
        if (
            request.method == "POST"
            and view_is_origin_checked(view_func)
            and not request_origin_is_trusted(request)
        ):
            return error_response(403, "origin_not_trusted", "This origin is not trusted.")
        return None
