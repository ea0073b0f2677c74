"""Fixtures shared by every app's tests; the helpers they use are in the apps' tests/helpers."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD, CountingHasher, client_of
from core.tests.helpers import RatelimitClock


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = [
        "accounts.tests.helpers.CountingHasher",
        *settings.PASSWORD_HASHERS,
    ]
    CountingHasher.calls = 0


@pytest.fixture(autouse=True)
def _mails_sent_within_the_test():
    """Mails go out on a background thread: none may land in the next test's outbox."""
    from accounts.mail import mail_drain

    yield
    mail_drain()


def _cache_clear() -> None:
    """Only this run's keys: on a Redis shared by parallel runs, clear() would flush theirs."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]  # the backend itself, not the proxy to it
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*")))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    _cache_clear()
    yield
    _cache_clear()


@pytest.fixture(autouse=True)
def ratelimit_clock(monkeypatch) -> RatelimitClock:
    from django_ratelimit import core

    clock = RatelimitClock()
    monkeypatch.setattr(core, "time", clock)
    return clock


@pytest.fixture
def api() -> APIClient:
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory(password=PASSWORD)


@pytest.fixture
def signed_in(user) -> APIClient:
    """A client holding a bearer session of `user` (CSRF-exempt, like a mobile client);
    `api` stays a separate, anonymous client."""
    return client_of(user)
