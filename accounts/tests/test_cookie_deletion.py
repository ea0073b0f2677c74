"""The cookie that clears the session carries the flags it was set with: browsers may ignore
a deletion of a Secure cookie that is not itself Secure, leaving the session cookie behind."""

import pytest
from django.conf import settings

from accounts.tests.helpers import PASSWORD, client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def secure(settings):
    settings.SECURE_COOKIES = True
    settings.SECURE_SSL_REDIRECT = False


def cookie_flags(response) -> dict:
    return response.cookies[settings.AUTH_SESSION_COOKIE_NAME]


def test_logout_deletes_the_cookie_with_secure(api, user, secure):
    login = api.post("/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert cookie_flags(login)["secure"]
    csrf = api.get("/api/auth/csrf").json()["csrfToken"]

    response = api.post("/api/auth/logout", HTTP_X_CSRFTOKEN=csrf)

    cleared = cookie_flags(response)
    assert cleared.value == ""
    assert cleared["max-age"] == 0
    assert cleared["secure"] is True
    assert cleared["httponly"] is True
    assert cleared["samesite"] == settings.SAME_SITE_COOKIES
    assert cleared["path"] == "/"


def test_revoke_all_deletes_the_cookie_with_secure(user, secure):
    cleared = cookie_flags(client_of(user).post("/api/auth/sessions/revoke-all"))
    assert cleared.value == ""
    assert cleared["secure"] is True


def test_without_secure_cookies_the_deletion_is_not_secure(api, user):
    csrf = api.get("/api/auth/csrf").json()["csrfToken"]
    cleared = cookie_flags(api.post("/api/auth/logout", HTTP_X_CSRFTOKEN=csrf))
    assert cleared.value == ""
    assert not cleared["secure"]
