"""Behind a trusted proxy, an X-Forwarded-For entry that is not an IP address is ignored:
sent straight to the server port, garbage neither rotates the rate-limit key nor overflows
the ip_address columns (a 500 on PostgreSQL)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthEvent, AuthSession
from accounts.tests.helpers import PASSWORD

LOGIN = "/api/auth/login"
PEER = "203.0.113.7"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def attacker(forwarded: str) -> APIClient:
    return APIClient(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR=forwarded)


def test_rotating_garbage_does_not_escape_the_per_ip_login_limit():
    statuses = [
        attacker(f"not-an-ip-{n}")
        .post(LOGIN, {"email": f"victim{n}@example.com", "password": "guess"})
        .status_code
        for n in range(40)
    ]
    assert statuses[:30] == [401] * 30
    assert statuses[30:] == [429] * 10


def test_an_over_long_entry_is_recorded_as_the_peer_address(user):
    long_entry = "1" * 46 + ", " + "x" * 300
    response = attacker(long_entry).post(
        LOGIN, {"email": user.email, "password": PASSWORD, "transport": "token"}
    )
    assert response.status_code == 200
    failed = attacker("a" * 100).post(LOGIN, {"email": user.email, "password": "wrong"})
    assert failed.status_code == 401
    assert AuthSession.objects.get(user=user).ip_address == PEER
    addresses = set(AuthEvent.objects.values_list("ip_address", flat=True))
    assert addresses == {PEER}


def test_a_scoped_ipv6_entry_is_not_an_address(user):
    forwarded = "fe80::1%" + "eth0" * 20
    response = attacker(forwarded).post(
        LOGIN, {"email": user.email, "password": PASSWORD, "transport": "token"}
    )
    assert response.status_code == 200
    assert AuthSession.objects.get(user=user).ip_address == PEER


def test_a_valid_entry_is_used_in_its_canonical_form(user):
    response = attacker("garbage, 2001:DB8:0:0::1").post(
        LOGIN, {"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["session"]["ip_address"] == "2001:db8::1"
