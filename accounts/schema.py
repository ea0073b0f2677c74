"""Teach drf-spectacular how our authentication looks in the OpenAPI document."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SessionTokenScheme(OpenApiAuthenticationExtension):
    """One session, two ways to present it: a bearer token, or the cookie, which on an unsafe
    method also needs the CSRF token (from GET /api/auth/csrf) in X-CSRFToken."""

    target_class = "accounts.authentication.SessionTokenAuthentication"
    name = ["bearerAuth", "cookieAuth", "csrfToken"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": 'Login with "transport": "token".'},
            {
                "type": "apiKey",
                "in": "cookie",
                "name": settings.AUTH_SESSION_COOKIE_NAME,
                "description": "Set by a sign-in with the default transport.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-CSRFToken",
                "description": "With the cookie, on POST, PUT, PATCH and DELETE.",
            },
        ]

    def get_security_requirement(self, auto_schema):
        if auto_schema.method.upper() in SAFE_METHODS:
            return [{"bearerAuth": []}, {"cookieAuth": []}]
        return [{"bearerAuth": []}, {"cookieAuth": [], "csrfToken": []}]
