"""Content-Security-Policy on HTML pages (Django 5.2 has no built-in CSP)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """JSON needs no policy; every HTML page gets the strict one unless its route has its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "text/html" in response.get("Content-Type", "") and (
            "Content-Security-Policy" not in response
        ):
            match = request.resolver_match
            route = match.url_name if match else None
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY_BY_ROUTE.get(
                route, settings.CONTENT_SECURITY_POLICY
            )
        return response
