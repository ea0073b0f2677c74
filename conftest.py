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


def pytest_collection_modifyitems(config, items):
    """`postgres` tests need row locks and a database several processes share."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL=postgres://...")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


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
