"""Liveness touches nothing; readiness answers within its deadline whatever is down."""

import time

import pytest
from django.test import override_settings

from core import health
from core.tests.blackhole import blackhole

pytestmark = pytest.mark.django_db


def redis_cache(port: int, **options) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": options,
        }
    }


def test_liveness_touches_neither_database_nor_cache(client, django_assert_num_queries):
    client.get("/api/health/live")  # the first request of a process imports the routes
    hang = redis_cache(0, socket_connect_timeout=60, socket_timeout=60)["default"]["OPTIONS"]
    with blackhole() as port, override_settings(CACHES=redis_cache(port, **hang)):
        with django_assert_num_queries(0):
            started = time.monotonic()
            answer = client.get("/api/health/live")
        assert time.monotonic() - started < 2  # a cache call would wait a minute
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert answer["Cache-Control"] == "no-store"


def test_a_hung_cache_is_unavailable_within_its_socket_timeout(client):
    client.get("/api/health")  # the first answer also loads the search index (a fact)
    timeouts = redis_cache(0, socket_connect_timeout=1, socket_timeout=1)["default"]["OPTIONS"]
    with blackhole() as port, override_settings(CACHES=redis_cache(port, **timeouts)):
        started = time.monotonic()
        answer = client.get("/api/health")
        took = time.monotonic() - started
    assert answer.status_code == 503
    body = answer.json()
    assert (body["status"], body["database"], body["cache"]) == ("unavailable", "ok", "unavailable")
    assert took < 5


def test_a_check_that_would_hang_forever_ends_at_the_deadline(client):
    """With a minute's timeouts the cache call does not return in time: the deadline alone
    bounds it, and the next probe waits for the same hung check instead of starting another."""
    client.get("/api/health")  # the first answer also loads the search index (a fact)
    hang = redis_cache(0, socket_connect_timeout=60, socket_timeout=60)["default"]["OPTIONS"]
    with blackhole() as port, override_settings(CACHES=redis_cache(port, **hang)):
        timings = []
        for _ in range(2):
            started = time.monotonic()
            answer = client.get("/api/health")
            timings.append(time.monotonic() - started)
            assert answer.status_code == 503 and answer.json()["cache"] == "unavailable"
        hung = health._probes[1].pending
        assert hung is not None and not hung.done()
    assert all(health.DEADLINE_SECONDS - 0.5 < took < 5 for took in timings), timings
    assert hung.exception(timeout=10) is not None  # the closed server ends the hung call


def test_healthy_parts_answer_ok(client):
    answer = client.get("/api/health")
    assert answer.status_code == 200
    assert {k: answer.json()[k] for k in ("status", "database", "cache")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }
