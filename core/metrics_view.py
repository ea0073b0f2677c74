"""GET /metrics for the scraper that holds METRICS_TOKEN; for anyone else the route does not
exist (the same 404 as any unknown path), so the endpoint is not revealed."""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from core.metrics import metrics_exposition

BEARER = "Bearer "


def _authorized(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not expected or not header.startswith(BEARER):
        return False
    return hmac.compare_digest(header[len(BEARER) :].encode(), expected.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _authorized(request):
        raise Http404()
    return _exposition(request)


@require_safe
def _exposition(request: HttpRequest) -> HttpResponse:
    body, content_type = metrics_exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
