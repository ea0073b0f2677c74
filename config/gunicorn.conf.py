"""The production server: gunicorn -c config/gunicorn.conf.py config.wsgi

Every value is chosen against the application's own bounds; the environment overrides the
address and the number of workers (GUNICORN_BIND, GUNICORN_WORKERS)."""

import json
import os

from gunicorn import util

# Prometheus multiprocess mode: a fresh start forgets the last run, a dead worker is marked.
from core.metrics_gunicorn import child_exit, on_starting  # noqa: F401

# Loopback: only a proxy on this host may reach it (X-Forwarded-For is believed from it).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a request is one process, and every wait it makes is bounded below.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# The longest legitimate request: a model call (LLM_TIMEOUT_SECONDS, 20 s) plus bounded
# database waits (connect 3 s, query 6 s). A worker silent beyond this is killed.
timeout = 45
# A deploy or scale-down lets requests in flight finish (the longest one above) first.
graceful_timeout = 30
# Behind a proxy that reuses connections; short, since an idle sync worker waits on it.
keepalive = 5
# The longest legitimate request line: a 500-character search query, percent-encoded UTF-8,
# or an OAuth callback's code and state; well under 8 KiB.
limit_request_line = 8190
# Browsers send about 20 headers and a proxy adds a few.
limit_request_fields = 64
# One header: the cookies of our host (session, CSRF, Django's session) fit easily.
limit_request_field_size = 8190
# Query strings can carry tokens (?token=...): log the path only, with the time taken.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
errorlog = "-"

REFUSALS = {
    400: "bad_request",
    403: "permission_denied",
    414: "request_line_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    501: "not_implemented",
}


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own refusals (before Django sees the request) in the API's error shape; the
    message is not echoed, since gunicorn puts the offending input in it."""
    code = REFUSALS.get(status_int, "server_error")
    body = json.dumps({"detail": reason, "code": code}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)


# The workers call util.write_error; there is no setting for it, so it is replaced here.
util.write_error = write_error
