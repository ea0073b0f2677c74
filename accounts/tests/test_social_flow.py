"""Social sign-in end to end: the real begin → provider → callback path, state included."""

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import (
    FRONTEND,
    begin,
    callback,
    login_error,
    query_of,
    raw_tokens,
    write_raw,
)
from accounts.tests.providers import GOOGLE_CLIENT_ID, GOOGLE_ISSUER, KEY_ID, Identity

pytestmark = pytest.mark.django_db

PROVIDERS = ["google", "github"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_new_user_signs_in_and_lands_on_the_frontend_with_new_user_flag(
    api, oauth_sign_in, provider
):
    response = oauth_sign_in(api, provider, Identity(uid="1001", email="Ann@Example.com"))

    assert response.status_code == 302
    assert response["Location"] == f"{FRONTEND}/?new_user=1"
    user = User.objects.get()
    assert user.email == "ann@example.com"
    assert user.email_verified and not user.has_usable_password()
    assert user.name == "Ann Example"
    link = OAuthAccount.objects.get()
    assert (link.user, link.provider, link.provider_account_id) == (user, provider, "1001")
    cookie = response.cookies[settings.AUTH_SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["max-age"] == 30 * 86400
    assert AuthSession.objects.filter(user=user, revoked=False).count() == 1
    me = api.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["user"]["email"] == "ann@example.com"
    assert AuthEvent.objects.filter(type="oauth_linked", user=user).count() == 1
    signed_in = AuthEvent.objects.get(type="signed_in", user=user)
    assert signed_in.detail["method"] == provider
    assert User.objects.get(pk=user.pk).last_login is not None


@pytest.mark.parametrize("provider", PROVIDERS)
def test_begin_redirects_to_the_provider_with_a_fresh_state_and_the_scopes(api, fakes, provider):
    first = query_of(begin(api, provider)["Location"])
    second = query_of(begin(api, provider)["Location"])

    assert first["state"] != second["state"] and len(first["state"]) >= 32
    assert first["redirect_uri"] == f"http://127.0.0.1:8000/api/auth/oauth/{provider}/callback"
    expected = {"google": "openid email profile", "github": "read:user user:email"}[provider]
    assert first["scope"] == expected


def test_begin_accepts_post(api, fakes):
    response = api.post("/api/auth/oauth/github")
    assert response.status_code == 302
    assert response["Location"].startswith(fakes["github"].authorize_url)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_known_account_signs_its_user_in_with_a_new_session(api, oauth_sign_in, provider):
    user = UserFactory(email="someone@else.example")
    OAuthAccountFactory(user=user, provider=provider, provider_account_id="1001")

    response = oauth_sign_in(api, provider, Identity(uid="1001", email="changed@example.com"))

    assert response["Location"] == FRONTEND
    assert User.objects.count() == 1 and OAuthAccount.objects.count() == 1
    assert AuthSession.objects.filter(user=user).count() == 1
    assert settings.AUTH_SESSION_COOKIE_NAME in response.cookies


@pytest.mark.parametrize("next_url", [f"{FRONTEND}/chat?x=1", "http://localhost:3000"])
def test_next_on_a_trusted_origin_is_where_the_browser_goes(api, oauth_sign_in, next_url):
    OAuthAccountFactory(provider_account_id="1001")
    response = oauth_sign_in(api, "google", Identity(uid="1001"), next=next_url)
    assert response["Location"] == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example",
        "https://localhost:3000.evil.example/",
        "http://localhost:3000@evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/relative/path",
        "",
    ],
)
def test_any_other_next_falls_back_to_the_frontend(api, oauth_sign_in, next_url):
    OAuthAccountFactory(provider_account_id="1001")
    response = oauth_sign_in(api, "google", Identity(uid="1001"), next=next_url)
    assert response["Location"] == FRONTEND


def test_new_user_lands_on_the_frontend_even_with_next(api, oauth_sign_in):
    response = oauth_sign_in(api, "github", Identity(uid="7"), next=f"{FRONTEND}/chat")
    assert response["Location"] == f"{FRONTEND}/?new_user=1"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unconfigured_provider_answers_404_json(api, settings, provider):
    setattr(settings, f"{provider.upper()}_CLIENT_SECRET", "")

    for response in (begin(api, provider), callback(api, provider, state="x", code="y")):
        assert response.status_code == 404
        assert response.json()["code"] == "provider_not_configured"


def test_unknown_provider_answers_404_json(api, fakes):
    response = begin(api, "facebook")
    assert response.status_code == 404
    assert response.json()["code"] == "provider_not_configured"


def test_callback_without_state_is_refused(api, consent):
    params = consent(api, "google", Identity(uid="1"))

    response = callback(api, "google", code=params["code"])

    assert response["Location"] == login_error("invalid_state")
    assert not User.objects.exists()


def test_callback_with_a_mismatched_state_is_refused(api, consent):
    params = consent(api, "github", Identity(uid="1"))

    response = callback(api, "github", state=params["state"] + "x", code=params["code"])

    assert response["Location"] == login_error("invalid_state")
    assert not User.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_replayed_callback_is_refused(api, consent, provider):
    params = consent(api, provider, Identity(uid="1"))
    assert callback(api, provider, **params)["Location"] == f"{FRONTEND}/?new_user=1"
    api.cookies.pop(settings.AUTH_SESSION_COOKIE_NAME)

    replayed = callback(api, provider, **params)

    assert replayed["Location"] == login_error("invalid_state")
    assert AuthSession.objects.count() == 1


def test_callback_in_another_browser_is_refused(api, consent):
    """Login CSRF: a victim's browser handed the attacker's callback URL has no such state."""
    params = consent(api, "google", Identity(uid="1"))

    response = callback(APIClient(), "google", **params)

    assert response["Location"] == login_error("invalid_state")
    assert not User.objects.exists()


def test_state_of_one_provider_is_not_accepted_by_the_other(api, consent):
    params = consent(api, "google", Identity(uid="1"))

    response = callback(api, "github", **params)

    assert response["Location"] == login_error("invalid_state")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_cancelled_consent_is_access_denied(api, fakes, provider):
    state = query_of(begin(api, provider)["Location"])["state"]

    response = callback(api, provider, state=state, error="access_denied")

    assert response["Location"] == login_error("access_denied")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "token_answer",
    [
        {"error": "invalid_grant", "error_description": "Bad code"},
        {"id_token": "not-a-jwt"},
        {"access_token": ""},
    ],
)
def test_a_bad_token_answer_is_a_provider_error(api, oauth_sign_in, google, token_answer):
    google.token_answer = token_answer

    response = oauth_sign_in(api, "google", Identity(uid="1"))

    assert response["Location"] == login_error("provider_error")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-client"}, {"iss": "https://evil.example"}, {"exp": 1000}, {"nonce": "x"}],
)
def test_an_id_token_that_fails_validation_is_a_provider_error(api, oauth_sign_in, google, claims):
    google.id_token_claims = claims

    response = oauth_sign_in(api, "google", Identity(uid="1"))

    assert response["Location"] == login_error("provider_error")
    assert not User.objects.exists()


def test_an_id_token_signed_by_another_key_is_a_provider_error(api, oauth_sign_in, google):
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(
        {"iss": GOOGLE_ISSUER, "sub": "1", "aud": GOOGLE_CLIENT_ID, "exp": 2**31},
        other_key,
        algorithm="RS256",
        headers={"kid": KEY_ID},
    )
    google.token_answer = {"id_token": forged}

    response = oauth_sign_in(api, "google", Identity(uid="1"))

    assert response["Location"] == login_error("provider_error")


def test_provider_unreachable_is_a_provider_error(api, oauth_sign_in, github, provider_http):
    provider_http.replace("GET", "https://api.github.test.example/user", status=502)

    response = oauth_sign_in(api, "github", Identity(uid="1"))

    assert response["Location"] == login_error("provider_error")


def test_tokens_are_encrypted_and_the_id_token_is_kept_nowhere(api, oauth_sign_in, google, caplog):
    caplog.set_level("DEBUG")
    oauth_sign_in(api, "google", Identity(uid="1001"))
    link = OAuthAccount.objects.get()
    access, refresh = link.access_token, link.refresh_token

    assert access.startswith("ya29.") and refresh.startswith("1//")
    assert link.token_type == "Bearer" and "openid" in link.scope and link.expires_at
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM oauth_accounts")
        raw_access, raw_refresh = cursor.fetchone()
        cursor.execute("SELECT session_data FROM django_session")
        sessions = " ".join(row[0] for row in cursor.fetchall())
    assert raw_access.startswith("fernet:") and raw_refresh.startswith("fernet:")
    assert access not in raw_access and refresh not in raw_refresh
    events = json.dumps(list(AuthEvent.objects.values("detail")))
    for secret in (access, refresh, "eyJ"):
        assert secret not in events and secret not in caplog.text
        assert secret not in sessions


def test_legacy_plaintext_row_signs_its_user_in_and_is_encrypted_on_the_way(api, oauth_sign_in):
    user = UserFactory()
    link = OAuthAccountFactory(user=user, provider="github", provider_account_id="42")
    write_raw(link, "gho_legacyplaintext", "ghr_legacyrefresh")
    assert OAuthAccount.objects.get().access_token == "gho_legacyplaintext"

    response = oauth_sign_in(api, "github", Identity(uid="42"))

    assert response["Location"] == FRONTEND
    assert AuthSession.objects.filter(user=user).exists()
    raw_access, raw_refresh = raw_tokens(link)
    assert raw_access.startswith("fernet:") and "legacy" not in raw_access
    # GitHub sent no refresh token: the kept one is now encrypted too.
    assert raw_refresh.startswith("fernet:")
    assert OAuthAccount.objects.get().refresh_token == "ghr_legacyrefresh"
