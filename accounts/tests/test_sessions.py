"""The session service and the session routes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.digests import keyed_digest
from accounts.models import AuthSession
from accounts.sessions import session_create, session_lookup
from accounts.tests.factories import AuthSessionFactory, OAuthAccountFactory
from accounts.tests.helpers import PASSWORD, client_of

pytestmark = pytest.mark.django_db


def age(session, **delta):
    """Move a session's clock back, as if it had been created and last used earlier."""
    shift = timedelta(**delta)
    AuthSession.objects.filter(pk=session.pk).update(
        created_at=session.created_at - shift,
        last_used_at=session.last_used_at - shift,
        expires_at=session.expires_at - shift,
    )


def test_only_the_digest_is_stored(user):
    session, token = session_create(user=user)
    assert len(token) >= 43
    assert session.token_hash == keyed_digest(token, settings.AUTH_SESSION_SECRET)
    assert not AuthSession.objects.filter(token_hash=token).exists()


def test_unknown_token_is_not_authenticated(api):
    response = api.get("/api/auth/me", HTTP_AUTHORIZATION="Bearer made-up")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_absolute_expiry(user):
    expired = client_of(user, expires_at=timezone.now())
    assert expired.get("/api/auth/me").json()["code"] == "session_expired"


def test_idle_expiry(user):
    idle = client_of(
        user,
        last_used_at=timezone.now() - settings.AUTH_SESSION_IDLE_TIMEOUT - timedelta(seconds=1),
    )
    response = idle.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


def test_revoked_session(user):
    revoked = client_of(user, revoked=True)
    assert revoked.get("/api/auth/me").json()["code"] == "session_revoked"


def test_last_used_is_refreshed_at_most_once_per_interval(signed_in):
    session = signed_in.auth_session
    signed_in.get("/api/auth/me")
    assert AuthSession.objects.get(pk=session.pk).last_used_at == session.last_used_at

    age(session, seconds=settings.AUTH_SESSION_TOUCH_INTERVAL.total_seconds() + 1)
    before = timezone.now()
    signed_in.get("/api/auth/me")
    touched = AuthSession.objects.get(pk=session.pk).last_used_at
    assert touched >= before


def test_steady_state_me_costs_exactly_one_query(signed_in, django_assert_num_queries):
    signed_in.get("/api/auth/me")
    with django_assert_num_queries(1):
        assert signed_in.get("/api/auth/me").status_code == 200


def test_session_query_uses_the_token_hash_index(user):
    token = AuthSessionFactory(user=user).token
    with CaptureQueriesContext(connection) as queries:
        session_lookup(token)
    (query,) = queries.captured_queries
    assert "token_hash" in query["sql"] and "JOIN" in query["sql"]


def test_secret_rotation_accepts_old_tokens_and_rehashes(signed_in, settings):
    session = signed_in.auth_session
    old_secret = settings.AUTH_SESSION_SECRET
    settings.AUTH_SESSION_SECRET = "a-brand-new-secret-that-is-long-enough-123"
    assert signed_in.get("/api/auth/me").status_code == 401

    settings.AUTH_SESSION_SECRET_FALLBACKS = [old_secret]
    assert signed_in.get("/api/auth/me").status_code == 200
    session.refresh_from_db()
    assert session.token_hash == keyed_digest(session.token, settings.AUTH_SESSION_SECRET)

    settings.AUTH_SESSION_SECRET_FALLBACKS = []
    assert signed_in.get("/api/auth/me").status_code == 200


def test_bearer_wins_over_cookie(signed_in):
    signed_in.cookies[settings.AUTH_SESSION_COOKIE_NAME] = "stale"
    assert signed_in.get("/api/auth/me").status_code == 200


def test_me_patch_updates_name(signed_in):
    response = signed_in.patch("/api/auth/me", {"name": "Grace"}, format="json")
    assert response.status_code == 200
    assert response.json()["user"]["name"] == "Grace"
    signed_in.user.refresh_from_db()
    assert signed_in.user.name == "Grace"


def test_me_patch_validates(signed_in):
    response = signed_in.patch("/api/auth/me", {"name": "x" * 300}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_sessions_list_shows_active_sessions_newest_first(user):
    old = AuthSessionFactory(user=user)
    age(old, hours=1)
    AuthSessionFactory(user=user, revoked=True)
    api = client_of(user)
    current = api.auth_session
    AuthSessionFactory()  # another user's

    response = api.get("/api/auth/sessions")

    assert response.status_code == 200
    sessions = response.json()["sessions"]
    assert [s["id"] for s in sessions] == [str(current.pk), str(old.pk)]
    assert [s["current"] for s in sessions] == [True, False]
    assert set(sessions[0]) == {
        "id",
        "created_at",
        "last_used_at",
        "expires_at",
        "idle_expires_at",
        "ip_address",
        "user_agent",
        "current",
    }


def test_delete_session(signed_in):
    other = AuthSessionFactory(user=signed_in.user)
    assert signed_in.delete(f"/api/auth/sessions/{other.pk}").status_code == 204
    other.refresh_from_db()
    assert other.revoked


def test_delete_another_users_session_is_404(signed_in):
    foreign = AuthSessionFactory()
    response = signed_in.delete(f"/api/auth/sessions/{foreign.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    foreign.refresh_from_db()
    assert not foreign.revoked


def test_revoke_others_keeps_current(user):
    AuthSessionFactory.create_batch(2, user=user)
    api = client_of(user)
    response = api.post("/api/auth/sessions/revoke-others")
    assert response.json() == {"revoked": 2}
    assert list(AuthSession.objects.filter(revoked=False)) == [api.auth_session]


def test_revoke_all_clears_cookie(signed_in):
    AuthSessionFactory(user=signed_in.user)
    response = signed_in.post("/api/auth/sessions/revoke-all")
    assert response.json() == {"revoked": 2}
    assert response.cookies[settings.AUTH_SESSION_COOKIE_NAME].value == ""
    assert signed_in.get("/api/auth/me").json()["code"] == "session_revoked"


def test_password_change_revokes_other_sessions(signed_in, user):
    other = AuthSessionFactory(user=user)
    response = signed_in.post(
        "/api/auth/password/change",
        {"current_password": PASSWORD, "new_password": "a whole new passphrase"},
        format="json",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("a whole new passphrase")
    other.refresh_from_db()
    assert other.revoked
    assert signed_in.get("/api/auth/me").status_code == 200


def test_password_change_can_keep_other_sessions(signed_in, user):
    other = AuthSessionFactory(user=user)
    signed_in.post(
        "/api/auth/password/change",
        {
            "current_password": PASSWORD,
            "new_password": "a whole new passphrase",
            "revoke_other_sessions": False,
        },
        format="json",
    )
    other.refresh_from_db()
    assert not other.revoked


@pytest.mark.parametrize(
    ("current", "new", "code", "field"),
    [
        ("wrong password", "a whole new passphrase", "invalid_password", None),
        (None, "12345678", "invalid", "new_password"),
        (None, "y" * 129, "invalid", "new_password"),
    ],
)
def test_password_change_failures(signed_in, current, new, code, field):
    response = signed_in.post(
        "/api/auth/password/change",
        {"current_password": current or PASSWORD, "new_password": new},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    if field:
        assert field in response.json()
    signed_in.user.refresh_from_db()
    assert signed_in.user.check_password(PASSWORD)


def test_linked_accounts_list_without_tokens(signed_in):
    OAuthAccountFactory(
        user=signed_in.user,
        provider="github",
        provider_account_id="42",
        access_token="gho_secret",
        refresh_token="refresh-secret",
    )
    response = signed_in.get("/api/auth/accounts")
    assert response.status_code == 200
    (account,) = response.json()["accounts"]
    assert set(account) == {"provider", "provider_account_id", "created_at"}
    assert "secret" not in response.content.decode()
