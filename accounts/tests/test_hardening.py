import pytest
from django.test import Client

from accounts.tests.fresh_process import PRODUCTION, manage, python
from accounts.tests.helpers import PASSWORD


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_start_up_refuses_without_redis_when_debug_is_off():
    env = {**PRODUCTION, "REDIS_URL": ""}  # empty, so no .env can fill it in
    result = manage("check", **env)
    assert result.returncode != 0
    assert "REDIS_URL must be set when DEBUG is off" in result.stderr


def test_debug_without_redis_serves_from_memory_with_only_e003_silenced():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "django_ratelimit.E003" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_html_pages_carry_the_security_headers(settings):
    response = Client().get("/")
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_docs_pages_keep_the_strict_policy_and_run_no_inline_script(settings):
    for path in ("/api/docs", "/api/redoc"):
        page = Client().get(path)
        policy = page["Content-Security-Policy"]
        assert policy.startswith(settings.CONTENT_SECURITY_POLICY), path
        assert "http" not in policy, path  # no outside host
        assert "<script>" not in page.content.decode(), path  # scripts are served, not inline
    assert "Content-Security-Policy" not in Client().get("/api/health")


@pytest.mark.django_db
def test_hsts_and_secure_cookies_when_secure_cookies_is_on(settings, api, user):
    settings.SECURE_COOKIES = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, secure=True)
    assert response.cookies["session_token"]["secure"] is True
    assert response.cookies["session_token"]["httponly"] is True
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_request_log_lines_lose_their_tokens():
    script = (
        "import django, logging; django.setup(); logging.getLogger('django.server')"
        ".info('\"%s\" %s %s', 'GET /reset-password?token=s3cr3t&x=1 HTTP/1.1', 200, 12)"
    )
    result = python("-c", script, DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings")
    assert "token=[redacted]&x=1" in result.stderr
    assert "s3cr3t" not in result.stderr
