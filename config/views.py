"""Project-level pages: the landing page and the health check."""

import logging

from django.core.cache import cache
from django.db import connection
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.views.auth import PublicView
from chatbot.search import retrieval_mode

logger = logging.getLogger(__name__)


class IndexView(TemplateView):
    template_name = "pages/index.html"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def _retrieval() -> str:
    """Which search answers: information for operators, never a reason to fail the check."""
    try:
        return retrieval_mode()
    except Exception:
        logger.exception("Health check: search index unavailable")
        return "unavailable"


def _cache_ok() -> bool:
    try:
        cache.set("health:ping", "1", 10)
        return cache.get("health:ping") == "1"
    except Exception:
        logger.exception("Health check: cache unreachable")
        return False


class HealthView(PublicView):
    @extend_schema(responses={200: None, 503: None})
    def get(self, request: Request) -> Response:
        parts = {"database": _database_ok(), "cache": _cache_ok()}
        body = {name: "ok" if ok else "unavailable" for name, ok in parts.items()}
        healthy = all(parts.values())
        return Response(
            {"status": "ok" if healthy else "unavailable", **body, "retrieval": _retrieval()},
            status=200 if healthy else 503,
        )
