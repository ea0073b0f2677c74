"""What every /api/ response obeys, in every mode (DEBUG included): an error is a JSON body,
and nothing is stored by caches unless the view says otherwise."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


class ApiResponseMiddleware:
    """Near the outside, so it sees every response under /api/: Django's debug pages (HTML 404 and
    500, the 400 of a suspicious request) and error pages of HTML renderers become the API's
    JSON error; and `Cache-Control: no-store` goes on every response whose view did not set a
    Cache-Control of its own, since most carry user data or a token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/api/"):
            return response
        if response.status_code >= 400 and not response.streaming and not _is_api_body(response):
            response = _as_json_error(response)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


def _is_api_body(response: HttpResponse) -> bool:
    """JSON, or the browsable API's page that a browser asked for (a feature, not an error page)."""
    renderer = getattr(response, "accepted_renderer", None)
    if renderer is not None and getattr(renderer, "format", None) == "api":
        return True
    media_type = response.get("Content-Type", "").split(";")[0].strip()
    return media_type.endswith("json")


def _as_json_error(response: HttpResponse) -> HttpResponse:
    """The body is replaced in place: the headers set on the way out (CORS, security) stay."""
    status = response.status_code
    body = {"detail": response.reason_phrase, "code": ERROR_CODES.get(status, "error")}
    response.content = json.dumps(body).encode()
    response["Content-Type"] = "application/json"
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
