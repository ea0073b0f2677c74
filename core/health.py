"""GET /api/health/live: the process answers. GET /api/health: can it reach the database and
the cache, answered within a deadline whatever is down? Apps may add facts for operators (the
chatbot names its retrieval mode) that never fail the check."""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.database import database_bound
from core.views import PublicView

logger = logging.getLogger(__name__)

# Both checks run at once, each on a thread of its own: a part that hangs (a dead host that
# drops packets, a server that accepts and never answers) costs this much, and no more.
DEADLINE_SECONDS = 3.0
# The database check's own bound, inside the deadline, so its thread ends too.
HEALTH_DATABASE_SECONDS = 2

_facts: dict[str, Callable[[], str]] = {}


def health_fact_register(name: str, read: Callable[[], str]) -> None:
    """Report `read()` under `name` in every health answer; an error reads "unavailable"."""
    _facts[name] = read


def _database_ok() -> bool:
    try:
        with database_bound(HEALTH_DATABASE_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    finally:
        connection.close()  # this thread's own connection: none is left open between probes


def _cache_ok() -> bool:
    cache.set("health:ping", "1", 10)
    return cache.get("health:ping") == "1"


class _Probe:
    """At most one check of a part in flight, each on a daemon thread: a check that hangs
    makes the next probes wait for the same answer rather than pile up threads behind it,
    and never holds up the worker's exit."""

    def __init__(self, name: str, check: Callable[[], bool]) -> None:
        self.name, self.check = name, check
        self.lock = threading.Lock()
        self.pending: Future | None = None

    def start(self) -> Future:
        with self.lock:
            if self.pending is None or self.pending.done():
                self.pending = Future()
                thread = threading.Thread(
                    target=self._run, args=(self.pending,), name=f"health-{self.name}", daemon=True
                )
                thread.start()
            return self.pending

    def _run(self, future: Future) -> None:
        try:
            future.set_result(self.check())
        except BaseException as exc:
            future.set_exception(exc)

    def wait(self, future: Future, timeout: float) -> bool:
        try:
            return bool(future.result(timeout=max(timeout, 0)))
        except FutureTimeout:
            logger.warning("Health check: %s did not answer within the deadline", self.name)
        except Exception:
            logger.exception("Health check: %s unreachable", self.name)
        return False


_probes = (_Probe("database", _database_ok), _Probe("cache", _cache_ok))


def health_parts(*, deadline: float = DEADLINE_SECONDS) -> dict[str, bool]:
    """Whether each part answered, all of them checked at once within `deadline` seconds."""
    ends = time.monotonic() + deadline
    started = [(probe, probe.start()) for probe in _probes]
    return {probe.name: probe.wait(future, ends - time.monotonic()) for probe, future in started}


def _fact(name: str, read: Callable[[], str]) -> str:
    try:
        return read()
    except Exception:
        logger.exception("Health check: %s unavailable", name)
        return "unavailable"


# "ok" or "unavailable" per part; an app's facts (e.g. "retrieval") come beside them.
HEALTH = inline_serializer(
    "Health",
    {
        part: serializers.CharField(help_text='"ok" or "unavailable"')
        for part in ("status", "database", "cache")
    },
)


class HealthView(PublicView):
    @extend_schema(
        responses={
            200: OpenApiResponse(HEALTH, description="Every part is reachable."),
            503: OpenApiResponse(HEALTH, description="A part is unreachable."),
        }
    )
    def get(self, request: Request) -> Response:
        parts = health_parts()
        body = {name: "ok" if ok else "unavailable" for name, ok in parts.items()}
        healthy = all(parts.values())
        # Facts may read the database: only once it has answered, so they cannot hang.
        facts = {
            name: _fact(name, read) if parts["database"] else "unavailable"
            for name, read in _facts.items()
        }
        return Response(
            {"status": "ok" if healthy else "unavailable", **body, **facts},
            status=200 if healthy else 503,
        )


class LiveView(PublicView):
    """For a liveness probe: touches nothing, so a database outage restarts no worker."""

    @extend_schema(responses={200: inline_serializer("Live", {"status": serializers.CharField()})})
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})
