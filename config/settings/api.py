"""Django REST framework and the OpenAPI schema."""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SessionTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    # Bodies are JSON: form and multipart parsers would only widen what an attacker can send.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.StrictJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Auth + book chatbot API",
    "DESCRIPTION": "Email/password and social sign-in, sessions, and a chatbot over a book.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The plumbing's errors (400, 401, 403, 404, 413, 415) on every operation they can reach.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.error_responses",
    ],
    # Swagger UI and ReDoc from our own static files: the docs work offline, and the
    # Content-Security-Policy names no outside host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the public validator: it would be a request to an outside host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
