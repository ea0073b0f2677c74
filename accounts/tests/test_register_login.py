"""Registration, login and logout through the HTTP API."""

import pytest
from django.conf import settings

from accounts.digests import keyed_digest
from accounts.models import AuthSession, User
from accounts.tests.helpers import PASSWORD, CountingHasher

pytestmark = pytest.mark.django_db

COOKIE = "session_token"


def register(api, **overrides):
    body = {"email": "Ada@Example.com", "password": PASSWORD, "name": "Ada"} | overrides
    return api.post("/api/auth/register", body, format="json")


def login(api, **overrides):
    body = {"email": "ada@example.com", "password": PASSWORD} | overrides
    return api.post("/api/auth/login", body, format="json")


def test_register_creates_user_and_session_cookie(api):
    response = register(api)

    assert response.status_code == 201
    user = response.json()["user"]
    assert user["email"] == "ada@example.com"
    assert user["has_password"] is True
    assert user["email_verified"] is False
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/" and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 30 * 86400
    assert not cookie["secure"]
    stored = AuthSession.objects.get(user__email="ada@example.com")
    assert stored.token_hash == keyed_digest(cookie.value, settings.AUTH_SESSION_SECRET)
    assert cookie.value not in stored.token_hash
    assert api.get("/api/auth/me").json()["user"]["email"] == "ada@example.com"


def test_secure_cookie_flag_follows_setting(api, settings):
    settings.SECURE_COOKIES = True
    assert register(api).cookies[COOKIE]["secure"]


def test_duplicate_email_in_any_case_is_409(api):
    register(api)
    response = register(api, email="ADA@example.COM")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "An account with this email already exists.",
        "code": "email_taken",
    }
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"email": ""}, "email"),
    ],
)
def test_register_rejects_bad_input_with_400(api, body, field):
    response = register(api, **body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()
    assert User.objects.count() == 0


def test_overlong_password_is_refused_before_hashing(api):
    register(api)
    CountingHasher.calls = 0
    response = login(api, password="x" * 10_000)
    assert response.status_code == 400
    assert CountingHasher.calls == 0


def test_token_transport_returns_token_and_no_cookie(api):
    response = register(api, transport="token")
    assert response.status_code == 201
    assert COOKIE not in response.cookies
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/auth/me").status_code == 200


def test_login_sets_a_new_session_each_time(api, user):
    first = login(api, email=user.email)
    second = login(api, email=user.email.upper())

    assert first.status_code == second.status_code == 200
    assert first.json()["session"]["current"] is True
    assert first.cookies[COOKIE].value != second.cookies[COOKIE].value
    assert AuthSession.objects.filter(user=user).count() == 2
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_remember_false_gives_short_session_and_browser_cookie(api, user):
    response = login(api, email=user.email, remember=False)
    assert response.status_code == 200
    assert response.cookies[COOKIE]["max-age"] == ""
    session = AuthSession.objects.get(user=user)
    assert (session.expires_at - session.created_at).total_seconds() == pytest.approx(86400, abs=5)


def test_unknown_email_and_wrong_password_answer_identically(api, user):
    unknown = login(api, email="nobody@example.com")
    wrong = login(api, email=user.email, password="wrong password!")
    assert unknown.status_code == wrong.status_code == 401
    assert (
        unknown.json()
        == wrong.json()
        == {
            "detail": "Invalid email or password.",
            "code": "invalid_credentials",
        }
    )
    assert COOKIE not in unknown.cookies and COOKIE not in wrong.cookies


def test_unknown_email_still_costs_a_password_hash(api, user):
    CountingHasher.calls = 0
    login(api, email="nobody@example.com")
    unknown_hashes = CountingHasher.calls
    CountingHasher.calls = 0
    login(api, email=user.email, password="wrong password!")
    assert unknown_hashes == CountingHasher.calls == 1


def test_user_without_password_cannot_log_in(api, db):
    from accounts.tests.factories import UserFactory

    oauth_only = UserFactory(password=None)
    CountingHasher.calls = 0
    assert login(api, email=oauth_only.email, password="").status_code == 400
    assert login(api, email=oauth_only.email).status_code == 401
    assert CountingHasher.calls == 1


def test_inactive_user_cannot_log_in(api, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert login(api, email=user.email).status_code == 401


def test_logout_revokes_session_and_clears_cookie(api, user):
    token = login(api, email=user.email).cookies[COOKIE].value
    csrf = api.get("/api/auth/csrf").json()["csrfToken"]

    response = api.post("/api/auth/logout", HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 204
    assert response.cookies[COOKIE].value == ""
    assert AuthSession.objects.get(user=user).revoked
    api.cookies[COOKIE] = token
    assert api.get("/api/auth/me").json()["code"] == "session_revoked"


def test_cross_site_logout_without_csrf_token_is_refused(api, user):
    """A cookie-borne logout is an unsafe request like any other: no forced sign-out."""
    api.handler.enforce_csrf_checks = True
    login(api, email=user.email)
    response = api.post("/api/auth/logout", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not AuthSession.objects.get(user=user).revoked


def test_logout_without_session_is_204(api):
    response = api.post("/api/auth/logout")
    assert response.status_code == 204
    api.cookies[COOKIE] = "stale-token"
    assert api.post("/api/auth/logout").status_code == 204


def test_login_with_a_stale_cookie_still_works(api, user):
    api.cookies[COOKIE] = "stale-token"
    assert login(api, email=user.email).status_code == 200


def test_untrusted_origin_cannot_post_to_login(api, user):
    response = api.post(
        "/api/auth/login",
        {"email": user.email, "password": PASSWORD},
        format="json",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_trusted"
    trusted = login(api, email=user.email, HTTP_ORIGIN=settings.FRONTEND_URL)
    assert trusted.status_code == 200


def test_legacy_argon2_hash_verifies_and_is_upgraded(api, db, settings):
    from argon2 import PasswordHasher

    settings.PASSWORD_HASHERS = ["accounts.passwords.Argon2idPasswordHasher"]
    legacy = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    user = User.objects.create(email="old@example.com", password=legacy)

    assert login(api, email="old@example.com").status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert login(api, email="old@example.com").status_code == 200


def test_passwords_are_hashed_with_argon2id_owasp_parameters(api, settings):
    settings.PASSWORD_HASHERS = ["accounts.passwords.Argon2idPasswordHasher"]
    register(api)
    stored = User.objects.get().password
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_createsuperuser_works_with_email_and_password(db):
    import os
    from unittest import mock

    from django.core.management import call_command

    with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": PASSWORD}):
        call_command("createsuperuser", "--noinput", "--email", "Root@Example.com")
    admin = User.objects.get(email="root@example.com")
    assert admin.is_superuser and admin.is_staff and admin.check_password(PASSWORD)
