"""SameSite=None works or refuses: every cookie it governs is Secure and SameSite=None, the CSRF
cookie included, and start-up refuses it without SECURE_COOKIES (browsers drop the cookie)."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.tests.fresh_process import manage, python
from accounts.tests.helpers import PASSWORD

SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.FRONTEND_URL, s.CSRF_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE]))"
)


def settings_in_a_fresh_process(**env: str) -> list:
    result = python("-c", SETTINGS, DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_same_site_none_without_secure_cookies_refuses_to_start():
    result = manage("check", DEBUG="true", SAME_SITE_COOKIES="none")
    assert result.returncode != 0
    assert "SAME_SITE_COOKIES=none needs SECURE_COOKIES=true" in result.stderr


def test_an_unknown_same_site_value_refuses_to_start():
    result = manage("check", DEBUG="true", SAME_SITE_COOKIES="sometimes")
    assert result.returncode != 0
    assert "SAME_SITE_COOKIES must be lax, strict or none" in result.stderr


def test_the_csrf_cookie_follows_the_same_site_policy():
    env = {"DEBUG": "true", "SECURE_COOKIES": "true", "SAME_SITE_COOKIES": "none"}
    assert settings_in_a_fresh_process(**env)[1:] == ["None", True]
    assert settings_in_a_fresh_process(DEBUG="true")[1:] == ["Lax", False]


def test_without_frontend_url_the_projects_own_pages_are_the_frontend():
    backend = "http://127.0.0.1:8123"
    assert settings_in_a_fresh_process(DEBUG="true", BACKEND_URL=backend)[0] == backend
    assert settings_in_a_fresh_process(DEBUG="true", BACKEND_URL=backend, FRONTEND_URL="")[0] == (
        backend
    )


@pytest.mark.django_db
def test_same_site_none_sets_secure_on_the_session_device_and_csrf_cookies(settings):
    settings.SECURE_COOKIES = settings.CSRF_COOKIE_SECURE = True
    settings.SAME_SITE_COOKIES = settings.CSRF_COOKIE_SAMESITE = "None"
    browser = APIClient()
    csrf = browser.get("/api/auth/csrf", secure=True).cookies["csrftoken"]
    body = {"email": "ann@example.com", "password": PASSWORD}
    signed_up = browser.post("/api/auth/register", body, format="json", secure=True)
    assert signed_up.status_code == 201
    cookies = [csrf, signed_up.cookies[settings.AUTH_SESSION_COOKIE_NAME]]
    cookies.append(signed_up.cookies[settings.DEVICE_COOKIE_NAME])
    assert [(c["secure"], c["samesite"]) for c in cookies] == [(True, "None")] * 3
