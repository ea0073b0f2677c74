"""One error shape for the whole API: {"detail": ..., "code": ...}."""

import logging
import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """Raise with a stable code: ApiError("Email already registered.", "email_taken", 409)."""

    def __init__(self, detail: str, code: str, status_code: int = status.HTTP_400_BAD_REQUEST):
        self.status_code = status_code
        self.code = code
        super().__init__(detail=detail, code=code)


def error_response(status_code: int, code: str, detail: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code}, status=status_code)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """Render every exception raised in an API view, unexpected ones included, as JSON."""
    # Imported here: rest_framework.views loads DRF's settings, which import our
    # authentication class, which imports this module.
    from rest_framework.views import exception_handler

    from core.unavailable import ServiceUnavailable, is_unavailable

    if is_unavailable(exc):
        logger.error("Unavailable in %s: %r", context.get("view").__class__.__name__, exc)
        exc = ServiceUnavailable()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        # Too large a body, too many fields or files: the client's fault, never a 500.
        exc = suspicious_operation_error(exc)
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        return Response(
            {"detail": "Internal server error.", "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
        response.data = {**detail, "code": "invalid"}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"detail": str(exc.detail), "code": code}
    return response


def suspicious_operation_error(exc: SuspiciousOperation) -> ApiError:
    if isinstance(exc, RequestDataTooBig):
        return ApiError("Request body too large.", "payload_too_large", 413)
    return ApiError("Bad request.", "bad_request", 400)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return error_response(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """Django calls it while the exception is being handled, so sys.exc_info() names it."""
    from core.unavailable import is_unavailable, unavailable_response

    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        return unavailable_response(request, exc)
    if _is_api(request):
        return error_response(500, "server_error", "Internal server error.")
    return defaults.server_error(request)


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return error_response(403, "permission_denied", "Permission denied.")
    return defaults.permission_denied(request, exception)


def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        if isinstance(exception, SuspiciousOperation):
            error = suspicious_operation_error(exception)
            return error_response(error.status_code, error.code, str(error.detail))
        return error_response(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)
