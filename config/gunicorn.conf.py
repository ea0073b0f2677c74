"""The production server: gunicorn -c config/gunicorn.conf.py config.wsgi (`make serve`)

Every value is chosen against the application's own bounds; the environment overrides the
address, the number of workers and their threads (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS). Why threads: bench/README.md, "Serving under load"."""

import json
import os

from gunicorn import util

# Prometheus multiprocess mode: a fresh start forgets the last run, a dead worker is marked.
from core.metrics_gunicorn import child_exit, on_starting  # noqa: F401

# Loopback: only a proxy on this host may reach it (X-Forwarded-For is believed from it).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers: a streamed answer holds one thread while the model talks (seconds), not a
# whole process, and releases its database connection meanwhile (chatbot/chat.py). The
# workers share the cores; the threads share a worker's memory (the index, the model).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "64"))
# Open connections per worker: one per thread and a few idle keep-alive ones (which hold no
# thread). A worker at this bound stops accepting, so new requests go to another worker rather
# than queue behind streams there.
worker_connections = threads + 16
# A worker whose main loop is silent this long is killed. Requests themselves are bounded
# below it: a model call (LLM_TIMEOUT_SECONDS, 20 s) plus bounded database waits (connect or
# a pooled connection 3 s, query 6 s).
timeout = 45
# A deploy or scale-down lets requests in flight finish (the longest one above) first.
graceful_timeout = 30
# Behind a proxy that reuses connections; an idle one holds no thread, only a socket.
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
