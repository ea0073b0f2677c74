"""One log line and one metrics sample per request, under the request's id, which every
response carries back in X-Request-ID."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

from core.metrics import metrics_request
from core.request_id import HEADER, request_id_clear, request_id_for, request_id_set

logger = logging.getLogger(__name__)

UNMATCHED = "unmatched"  # no route resolved (a 404, or refused before resolution)
# Any client can send any method: others are counted as one, so none can add series.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def route_name(request: HttpRequest) -> str:
    """The route's name, never the raw path: paths carry ids and tokens and are unbounded."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return match.view_name if match.url_name else UNMATCHED


def user_id(request: HttpRequest) -> str | None:
    """The authenticated user's id if the request already knows it; never a lookup of its
    own (a liveness probe must touch no database)."""
    user = request.__dict__.get("user")
    # type(), not isinstance(): a lazy object answers isinstance by loading what it wraps.
    if user is None or (type(user) is SimpleLazyObject and user._wrapped is empty):
        return None
    return str(user.pk) if user.is_authenticated else None


class RequestLogMiddleware:
    """Outermost: it times everything, and its id is set before anything inside can log.
    The id is cleared when the server closes the response, after the jobs queued for then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_for(request)
        request_id_set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[HEADER] = request_id
        route = route_name(request)
        uid = user_id(request)
        method = request.method if request.method in METHODS else "other"
        metrics_request(method=method, route=route, status=response.status_code, seconds=seconds)
        logger.info(
            "%s %s %d %.1fms user=%s",
            method,
            route,
            response.status_code,
            seconds * 1000,
            uid or "-",
            extra={
                "method": method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": uid,
            },
        )
        response._resource_closers.append(request_id_clear)
        return response
