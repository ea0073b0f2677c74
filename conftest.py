"""Fixtures shared by every app's tests."""

import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


class CountingHasher(MD5PasswordHasher):
    """Fast in tests, and counts hashes so timing-equalisation can be asserted."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["conftest.CountingHasher", *settings.PASSWORD_HASHERS]
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


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class RatelimitClock:
    """django-ratelimit's clock, held still: a fixed window never rolls over mid-test."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def ratelimit_clock(monkeypatch) -> RatelimitClock:
    from django_ratelimit import core

    clock = RatelimitClock()
    monkeypatch.setattr(core, "time", clock)
    return clock


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory(password=PASSWORD)


@pytest.fixture
def signed_in(api, user) -> APIClient:
    """A client holding a bearer session of `user` (CSRF-exempt, like a mobile client)."""
    from accounts.sessions import session_create

    _, token = session_create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    api.user = user
    return api
