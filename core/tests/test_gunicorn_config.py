"""The shipped gunicorn configuration: its own refusals, made before Django sees a request,
answer in the API's JSON error shape, and its access log never carries a query string."""

import json
import socket
import time

import pytest

from core.tests.faults.served import Served, production_env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    logs = tmp_path_factory.mktemp("gunicorn")
    served = Served(
        production_env(DEBUG="true", DATABASE_URL=f"sqlite:///{logs / 'db.sqlite3'}"),
        logs / "error.log",
        "--workers", "1", "--access-logfile", str(logs / "access.log"),
    )  # fmt: skip
    served.access_log = logs / "access.log"
    yield served
    served.stop()


def _raw(server, request: bytes) -> tuple[str, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status_line, headers, body


HEAD = b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
REFUSED = {
    "request-line": (b"GET /api/health?q=" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", 414),
    "header-size": (HEAD + b"X-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
    "header-count": (HEAD + b"".join(b"X-%d: 1\r\n" % n for n in range(70)) + b"\r\n", 431),
    "bad-version": (b"GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n", 400),
}
CODES = {414: "request_line_too_long", 431: "headers_too_large", 400: "bad_request"}


@pytest.mark.parametrize("name", REFUSED)
def test_gunicorns_own_refusals_are_json(server, name):
    request_bytes, status = REFUSED[name]
    code = CODES[status]
    status_line, headers, body = _raw(server, request_bytes)
    assert status_line.split(" ")[1] == str(status)
    assert headers["Content-Type"] == "application/json"
    reply = json.loads(body)
    assert reply["code"] == code
    assert set(reply) == {"detail", "code"}
    assert b"aaaa" not in body  # nothing of the offending input is echoed


def test_a_request_within_the_limits_reaches_django(server):
    assert server.request("GET", "/api/auth/csrf").status == 200


def test_the_access_log_has_no_query_string(server):
    server.request("GET", "/api/auth/csrf?token=secret-value")
    deadline = time.monotonic() + 5
    while "/api/auth/csrf" not in server.access_log.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    log = server.access_log.read_text()
    assert "secret-value" not in log
    assert '"GET /api/auth/csrf HTTP/1.1" 200' in log
