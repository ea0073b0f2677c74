"""The pages as served, without a browser: the strict CSP holds (no inline script or style,
nothing from other hosts), every field is labelled, provider buttons follow the configuration."""

import re

import pytest
from django.test import Client

PAGES = [
    "/",
    "/login",
    "/login/mfa",
    "/login/code",
    "/register",
    "/forgot-password",
    "/reset-password",
    "/verify-email",
    "/onboarding",
    "/account",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_keeps_the_strict_policy(path, settings):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert re.findall(r"<script\b[^>]*>", html) == [
        f'<script type="module" src="/static/web/js/{response.resolver_match.url_name[4:]}.js">'
    ]
    assert "<style" not in html and " style=" not in html
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), "nothing from other hosts"


@pytest.mark.parametrize("path", PAGES)
def test_every_field_has_a_label(path):
    html = Client().get(path).content.decode()
    fields = re.findall(
        r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
    )
    unlabelled = [f for f in fields if f'<label for="{f}"' not in html]
    assert unlabelled == []


def test_provider_buttons_only_for_configured_providers(settings):
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = "id", "secret"
    settings.GITHUB_CLIENT_ID = settings.GITHUB_CLIENT_SECRET = ""
    html = Client().get("/login").content.decode()
    assert "Continue with Google" in html and "Continue with GitHub" not in html
    assert 'action="/api/auth/oauth/google"' in html
    settings.GOOGLE_CLIENT_ID = ""
    assert "Continue with" not in Client().get("/register").content.decode()
