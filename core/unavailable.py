"""A database or cache that cannot be reached is 503 `unavailable` with Retry-After, never 500,
whichever layer meets it: a middleware, a DRF view, a plain Django view, a stream's start."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from redis.exceptions import RedisError
from rest_framework import status

from core.errors import ApiError

logger = logging.getLogger(__name__)

# Long enough for a restart or a failover to finish, short enough to keep clients trying.
RETRY_AFTER_SECONDS = 5
DETAIL = "The service is temporarily unavailable; try again shortly."


class ServiceUnavailable(ApiError):
    """503 with Retry-After: DRF's handler turns `wait` into the header."""

    def __init__(self) -> None:
        super().__init__(DETAIL, "unavailable", status.HTTP_503_SERVICE_UNAVAILABLE)
        self.wait = RETRY_AFTER_SECONDS


def is_unavailable(exc: BaseException | None) -> bool:
    """Refused, dropped, timed out or locked: the database's or the cache's fault, not ours."""
    return isinstance(exc, OperationalError | InterfaceError | RedisError)


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    logger.error("Unavailable: %s on %s", type(exc).__name__, request.path_info, exc_info=exc)
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": DETAIL, "code": "unavailable"}, status=503)
    else:
        response = HttpResponse(
            f"<h1>Service unavailable</h1><p>{DETAIL}</p>", status=503, content_type="text/html"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
