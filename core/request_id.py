"""The id of the request being served, so every log line it causes can be found together: taken
from a trusted proxy's X-Request-ID when it looks like an id, otherwise made here."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

HEADER = "X-Request-ID"
# What a proxy's id may be: anything else (a log-injection attempt, a megabyte) is replaced.
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_for(request: HttpRequest) -> str:
    """The proxy's id only when proxies are configured: a client could send any header."""
    if settings.TRUSTED_PROXY_COUNT > 0:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if _SANE_ID.fullmatch(given):
            return given
    return uuid.uuid4().hex


def request_id_set(value: str) -> None:
    _current.set(value)


def request_id_clear() -> None:
    _current.set(NO_REQUEST)


def request_id_current() -> str:
    """The id of the request this thread serves, or "-" outside one."""
    return _current.get()


class RequestIdFilter(logging.Filter):
    """Stamp every record with `request_id`, for the formatters (plain and JSON) to show."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


class ServedByUs(logging.Filter):
    """Drop runserver's own line for a request that our request log already has."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _current.get() == NO_REQUEST
