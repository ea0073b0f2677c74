import pytest
import redis
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import AuthEvent
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD
from core.tests.helpers import CLOSED_PORT_REDIS

LOGIN = "/api/auth/login"
REGISTER = "/api/auth/register"
FORGOT = "/api/auth/password/forgot"

pytestmark = pytest.mark.django_db

uses_redis = pytest.mark.skipif(
    "RedisCache" not in settings.CACHES["default"]["BACKEND"],
    reason="needs the real Redis: run with REDIS_URL set",
)


def client(ip: str, **headers) -> APIClient:
    return APIClient(REMOTE_ADDR=ip, **headers)


def login(api, email, password="not the password"):
    return api.post(LOGIN, {"email": email, "password": password})


def assert_limited(response):
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


@pytest.fixture
def later(ratelimit_clock):
    """Move django-ratelimit's clock (only its own) past a window: a new window counts anew."""
    return ratelimit_clock.advance


def test_login_allows_five_a_minute_per_ip_and_email(api, user):
    for _ in range(5):
        assert login(api, user.email).status_code == 401
    assert_limited(login(api, user.email, PASSWORD))
    other = UserFactory(password=PASSWORD)
    assert login(api, other.email, PASSWORD).status_code == 200


def test_successes_count_too(api, user):
    for _ in range(5):
        assert login(api, user.email, PASSWORD).status_code == 200
    assert_limited(login(api, user.email, PASSWORD))


def test_login_allows_thirty_a_minute_per_ip(api, db):
    for n in range(30):
        assert login(api, f"u{n}@example.com").status_code == 401
    assert_limited(login(api, "another@example.com"))


def test_ten_failures_lock_the_email_from_any_ip_until_the_window_passes(user, later):
    for n in range(10):
        assert login(client(f"10.0.0.{n}"), user.email).status_code == 401
    assert_limited(login(client("10.0.1.1"), user.email, PASSWORD))
    assert (
        login(client("10.0.1.1"), UserFactory(password=PASSWORD).email, PASSWORD).status_code == 200
    )
    later(15 * 60 + 1)
    assert login(client("10.0.1.1"), user.email, PASSWORD).status_code == 200


def test_failed_login_limit_ignores_successes(user):
    for n in range(12):
        assert login(client(f"10.0.0.{n}"), user.email, PASSWORD).status_code == 200


def test_reaching_a_limit_is_audited_once(api, user):
    for _ in range(8):
        login(api, user.email)
    events = AuthEvent.objects.filter(type="rate_limited")
    assert events.count() == 1
    assert events.get().detail == {"action": "login", "scope": "ip-email"}
    failures = AuthEvent.objects.filter(type="sign_in_failed", user=user)
    assert failures.count() == 5
    assert set(failures.values_list("detail__reason", flat=True)) == {"wrong_password"}


def test_register_allows_five_an_hour_per_ip_then_resets(api, db, later):
    for n in range(5):
        body = {"email": f"n{n}@example.com", "password": PASSWORD}
        assert api.post(REGISTER, body).status_code == 201
    assert_limited(api.post(REGISTER, {"email": "n5@example.com", "password": PASSWORD}))
    later(3601)
    assert api.post(REGISTER, {"email": "n5@example.com", "password": PASSWORD}).status_code == 201


def test_forgot_allows_three_an_hour_per_email(api, user):
    for _ in range(3):
        assert api.post(FORGOT, {"email": user.email}).status_code == 202
    assert_limited(api.post(FORGOT, {"email": user.email.upper()}))
    assert api.post(FORGOT, {"email": "other@example.com"}).status_code == 202


def test_forgot_allows_ten_an_hour_per_ip(api, db):
    for n in range(10):
        assert api.post(FORGOT, {"email": f"n{n}@example.com"}).status_code == 202
    assert_limited(api.post(FORGOT, {"email": "n10@example.com"}))


def test_resend_allows_three_an_hour(signed_in):
    for _ in range(3):
        assert signed_in.post("/api/auth/email/resend").status_code == 202
    assert_limited(signed_in.post("/api/auth/email/resend"))


@pytest.mark.parametrize("path", ["/api/auth/password/reset", "/api/auth/email/verify"])
def test_token_routes_allow_ten_a_minute_per_ip(api, db, path):
    body = {"token": "guess", "new_password": PASSWORD}
    for _ in range(10):
        assert api.post(path, body).status_code == 400
    assert_limited(api.post(path, body))


def test_ipv6_clients_are_counted_by_their_64(db):
    for n in range(5):
        api = client(f"2001:db8:1:2::{n + 1:x}" if n % 2 else f"2001:db8:1:2:ffff::{n}")
        assert (
            api.post(REGISTER, {"email": f"v{n}@example.com", "password": PASSWORD}).status_code
            == 201
        )
    body = {"email": "v5@example.com", "password": PASSWORD}
    assert_limited(client("2001:db8:1:2:abcd::1").post(REGISTER, body))
    assert client("2001:db8:1:3::1").post(REGISTER, body).status_code == 201


def test_spoofed_forwarded_for_without_a_proxy_changes_nothing(db):
    for n in range(5):
        api = client("203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        response = api.post(REGISTER, {"email": f"s{n}@example.com", "password": PASSWORD})
        assert response.json()["session"]["ip_address"] == "203.0.113.7"
    spoofed = client("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert_limited(spoofed.post(REGISTER, {"email": "s5@example.com", "password": PASSWORD}))


def test_behind_a_trusted_proxy_the_forwarded_address_counts(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        api = client("10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 198.51.100.{n}")
        response = api.post(REGISTER, {"email": f"p{n}@example.com", "password": PASSWORD})
        assert response.status_code == 201
        assert response.json()["session"]["ip_address"] == f"198.51.100.{n}"


def test_redis_down_refuses_auth_routes_but_the_api_keeps_working(signed_in):
    with override_settings(CACHES=CLOSED_PORT_REDIS):
        response = login(APIClient(), signed_in.user.email, PASSWORD)
        assert response.status_code == 503
        assert response.json()["code"] == "unavailable"
        register = APIClient().post(REGISTER, {"email": "r@example.com", "password": PASSWORD})
        assert register.status_code == 503
        assert signed_in.get("/api/auth/me").status_code == 200
        assert signed_in.get("/api/auth/sessions").status_code == 200


@uses_redis
def test_two_clients_on_different_ips_share_the_failed_login_count_in_redis(user):
    first, second = client("192.0.2.1"), client("198.51.100.1")
    for _ in range(5):
        assert login(first, user.email).status_code == 401
    raw = redis.Redis.from_url(settings.REDIS_URL)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert raw.keys(f"{prefix}:*rl:*"), "the counters live in Redis, not in this process"
    for _ in range(5):
        assert login(second, user.email).status_code == 401
    assert_limited(login(second, user.email, PASSWORD))
    assert_limited(login(client("203.0.113.1"), user.email, PASSWORD))


def test_password_confirmations_share_the_accounts_failure_budget(signed_in):
    """A stolen session is no unlimited password oracle: wrong confirmations count like
    failed sign-ins of that account, from any route that asks for the password."""
    user = signed_in.user
    for _ in range(5):
        response = signed_in.post(
            "/api/auth/password/change",
            {"current_password": "not the password", "new_password": "a whole new passphrase"},
            format="json",
        )
        assert response.json()["code"] == "invalid_password"
    for _ in range(5):
        assert signed_in.delete("/api/auth/me", {"password": "wrong"}).status_code == 403

    response = signed_in.post(
        "/api/auth/password/change",
        {"current_password": PASSWORD, "new_password": "a whole new passphrase"},
        format="json",
    )
    assert_limited(response)
    assert_limited(login(client("10.9.9.9"), user.email, PASSWORD))
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
