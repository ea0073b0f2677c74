"""GET /api/health: can this process reach the database and the cache? Apps may add facts
for operators (the chatbot names its retrieval mode) that never fail the check."""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.database import database_bound
from core.views import PublicView

logger = logging.getLogger(__name__)

# A load balancer must hear back in time even from a database that does not answer.
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
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def _cache_ok() -> bool:
    try:
        cache.set("health:ping", "1", 10)
        return cache.get("health:ping") == "1"
    except Exception:
        logger.exception("Health check: cache unreachable")
        return False


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
        parts = {"database": _database_ok(), "cache": _cache_ok()}
        body = {name: "ok" if ok else "unavailable" for name, ok in parts.items()}
        healthy = all(parts.values())
        # Facts may read the database too: without it, each would wait out its own bound.
        facts = {
            name: _fact(name, read) if parts["database"] else "unavailable"
            for name, read in _facts.items()
        }
        return Response(
            {"status": "ok" if healthy else "unavailable", **body, **facts},
            status=200 if healthy else 503,
        )
