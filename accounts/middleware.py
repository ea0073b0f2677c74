"""ApiAuthMiddleware: every /api/ route needs a valid session unless it is listed public."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.errors import error_response
from accounts.origins import request_origin_is_trusted
from accounts.sessions import NOT_AUTHENTICATED, session_from_request

MESSAGES = {
    NOT_AUTHENTICATED: "Authentication credentials were not provided or are invalid.",
    "session_expired": "Your session has expired; sign in again.",
    "session_revoked": "This session was signed out; sign in again.",
}


class ApiAuthMiddleware:
    """Deny by default: the public list holds resolved route names, never path prefixes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/api/"):
            return None
        route = request.resolver_match.url_name
        if route in settings.API_PUBLIC_ROUTES:
            return self._check_browser_origin(request, route)
        lookup = session_from_request(request)
        if lookup.session is None:
            code = lookup.failure or NOT_AUTHENTICATED
            return error_response(401, code, MESSAGES[code], WWW_Authenticate='Bearer realm="api"')
        return None

    @staticmethod
    def _check_browser_origin(request: HttpRequest, route: str) -> HttpResponse | None:
        """Refuse cross-site form posts to the sign-in routes (login CSRF and the like)."""
        if (
            request.method == "POST"
            and route in settings.API_ORIGIN_CHECKED_ROUTES
            and not request_origin_is_trusted(request)
        ):
            return error_response(403, "origin_not_trusted", "This origin is not trusted.")
        return None
