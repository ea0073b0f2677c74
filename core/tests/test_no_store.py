"""Responses that carry user data or a token are never stored by a cache on the way."""

import pytest

from accounts.tests.helpers import PASSWORD


@pytest.mark.django_db
def test_sign_in_answers_are_not_stored(api, user):
    login = api.post("/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert login.status_code == 200
    assert login["Cache-Control"] == "no-store"
    token = api.post(
        "/api/auth/login", {"email": user.email, "password": PASSWORD, "transport": "token"}
    )
    assert "token" in token.json()
    assert token["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/auth/me", "/api/auth/sessions", "/api/auth/events", "/api/auth/accounts",
     "/api/onboarding", "/api/conversations"],
)  # fmt: skip
def test_user_data_is_not_stored(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_csrf_token_and_errors_are_not_stored(api):
    assert api.get("/api/auth/csrf")["Cache-Control"] == "no-store"
    assert api.get("/api/auth/me")["Cache-Control"] == "no-store"
    assert api.get("/api/no-such-route")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_pages_outside_the_api_keep_their_caching(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
