"""The /api/ guard, CSRF, CORS and the JSON error contract."""

import re
import uuid

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RoutePattern
from rest_framework.views import APIView

from accounts.tests.helpers import PASSWORD, client_of
from config.urls import handler404, handler500  # noqa: F401  (the test URLconf uses them)
from config.urls import urlpatterns as project_urlpatterns
from core.public import view_is_origin_checked, view_is_public

pytestmark = pytest.mark.django_db

SAMPLE_ARGUMENTS = {
    "uuid": str(uuid.uuid4()),
    "int": "1",
    "str": "google",
    "slug": "google",
    "path": "google",
}


def api_routes(patterns=None, prefix=""):
    """Yield (concrete path, route name, view) for every URL pattern under /api/."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if not (route.startswith("api/") or "api/".startswith(route)):
            continue
        assert isinstance(entry.pattern, RoutePattern), f"use path(), not re_path: {entry}"
        if isinstance(entry, URLResolver):
            yield from api_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            concrete = re.sub(
                r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m.group(1) or "str"], route
            )
            yield "/" + concrete, entry.name, entry.callback


ROUTES = list(api_routes())
PROTECTED = [(url, name) for url, name, view in ROUTES if not view_is_public(view)]

# Opening a route to anonymous requests must show up here, not only on its view.
PUBLIC_ROUTES = {
    "health",
    "health-live",
    "auth-csrf",
    "auth-register",
    "auth-login",
    "auth-logout",
    "auth-code-request",
    "auth-code-verify",
    "auth-passkey-login-options",
    "auth-passkey-login",
    "auth-password-forgot",
    "auth-password-reset",
    "auth-email-verify",
    "auth-email-disown",
    "auth-oauth-begin",
    "auth-oauth-callback",
    "auth-mfa-verify",
    "api-schema",
    "api-docs",
    "api-redoc",
}
# The public routes whose browser posts must come from a trusted origin.
ORIGIN_CHECKED_ROUTES = {
    "auth-register",
    "auth-login",
    "auth-code-request",
    "auth-code-verify",
    "auth-passkey-login",
    "auth-password-forgot",
    "auth-password-reset",
    "auth-email-verify",
    "auth-email-disown",
    "auth-mfa-verify",
}


def test_the_public_routes_are_exactly_the_listed_ones():
    assert {name for _, name, view in ROUTES if view_is_public(view)} == PUBLIC_ROUTES


def test_the_origin_checked_routes_are_exactly_the_listed_ones():
    checked = {name for _, name, view in ROUTES if view_is_origin_checked(view)}
    assert checked == ORIGIN_CHECKED_ROUTES


@pytest.mark.parametrize("name", sorted(ORIGIN_CHECKED_ROUTES))
def test_origin_checked_routes_refuse_browser_posts_from_untrusted_origins(api, db, name):
    url = next(url for url, route, _ in ROUTES if route == name)
    response = api.post(url, {}, format="json", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_trusted"


@pytest.mark.parametrize(("url", "name"), PROTECTED, ids=[p for p, _ in PROTECTED])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_every_protected_route_refuses_anonymous_requests(api, url, name, method):
    response = getattr(api, method)(url)
    assert response.status_code == 401, (url, method, response.status_code)
    assert response.json()["code"] == "not_authenticated"
    assert "WWW-Authenticate" in response


def test_unknown_api_route_is_json_404(signed_in, api):
    for client in (signed_in, api):
        response = client.get("/api/does-not-exist")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_trailing_slash_is_not_served_as_another_route(signed_in):
    response = signed_in.get("/api/auth/me/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_method_not_allowed_is_json_405(signed_in):
    response = signed_in.put("/api/auth/me", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_400(signed_in):
    response = signed_in.patch("/api/auth/me", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_outside_api_errors_are_django_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]


class Boom(APIView):
    def get(self, request):
        raise RuntimeError("secret internals")


def plain_boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [
    path("api/boom", Boom.as_view(), name="boom"),
    path("api/plain-boom", plain_boom, name="plain-boom"),
    *project_urlpatterns,
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/api/boom", "/api/plain-boom"])
def test_unhandled_errors_are_json_500_without_traceback(signed_in, url):
    signed_in.raise_request_exception = False
    response = signed_in.get(url)
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "server_error"}
    assert b"secret internals" not in response.content


@pytest.mark.urls(__name__)
def test_new_routes_are_protected_by_default(api):
    assert api.get("/api/boom").status_code == 401


def test_cookie_auth_unsafe_request_without_csrf_token_is_403(user):
    browser = client_of(user, transport="cookie", csrf=True)
    response = browser.patch("/api/auth/me", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def patch_me_with_csrf_token(browser, *, origin: str):
    """An unsafe request carrying the CSRF token the browser was handed, sent from `origin`."""
    csrf = browser.get("/api/auth/csrf").json()["csrfToken"]
    assert browser.cookies["csrftoken"].value
    return browser.patch(
        "/api/auth/me", {"name": "x"}, format="json", HTTP_X_CSRFTOKEN=csrf, HTTP_ORIGIN=origin
    )


def test_cookie_auth_unsafe_request_from_untrusted_origin_is_403(user):
    browser = client_of(user, transport="cookie", csrf=True)
    response = patch_me_with_csrf_token(browser, origin="https://evil.example")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_cookie_auth_with_csrf_token_and_trusted_origin_passes(user):
    browser = client_of(user, transport="cookie", csrf=True)
    response = patch_me_with_csrf_token(browser, origin=settings.FRONTEND_URL)
    assert response.status_code == 200


def test_cookie_auth_safe_request_needs_no_csrf(user):
    browser = client_of(user, transport="cookie", csrf=True)
    assert browser.get("/api/auth/me").status_code == 200


def test_bearer_auth_is_csrf_exempt(user):
    """Checked with CSRF enforced as for the cookie: only the transport differs."""
    response = client_of(user, csrf=True).patch("/api/auth/me", {"name": "x"}, format="json")
    assert response.status_code == 200


def test_cors_preflight_allows_configured_origin_with_credentials(api):
    response = api.options(
        "/api/auth/login",
        HTTP_ORIGIN=settings.FRONTEND_URL,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response["Access-Control-Allow-Origin"] == settings.FRONTEND_URL
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_cors_refuses_other_origins(api):
    response = api.options(
        "/api/auth/me",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in response


def test_csrf_trusted_origins_follow_cors_origins():
    assert set(settings.CORS_ORIGINS) <= set(settings.CSRF_TRUSTED_ORIGINS)
    assert {settings.FRONTEND_URL, settings.BACKEND_URL} <= set(settings.CSRF_TRUSTED_ORIGINS)


def test_health(api):
    body = api.get("/api/health").json()
    # The chatbot's search mode is information, tested in chatbot/tests/test_search.py.
    assert body.pop("retrieval") in {"hybrid", "lexical"}
    assert body == {"status": "ok", "database": "ok", "cache": "ok"}


def test_index_page_links_to_docs_and_admin(client):
    body = client.get("/").content.decode()
    assert 'href="/api/docs"' in body and 'href="/admin/"' in body


def test_openapi_schema_and_swagger(api):
    schema = api.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/auth/login" in schema["paths"]
    assert api.get("/api/docs").status_code == 200


def test_browsable_api_works_with_the_cookie_session(api, user):
    api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json")
    response = api.get("/api/auth/me", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/auth/sessions" in out.read_text()
