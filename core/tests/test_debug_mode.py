"""Errors under /api/ are JSON with DEBUG on too (`make run`): a served development server.

Django's test runner forces DEBUG off, and Django's debug pages are only used with it on, so
these tests run `manage.py runserver` with DEBUG=true in a fresh process."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.tests.helpers import free_port, wait_until_serving

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def debug_server(tmp_path_factory):
    """DEBUG=true on a database that was never migrated: any query fails, as in a broken
    deployment, and Django would answer with its HTML debug page."""
    port = free_port()
    log = (tmp_path_factory.mktemp("debug") / "server.log").open("w+")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(BASE_DIR),
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'empty.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/api/auth/csrf", server, log=lambda: _read(log))
    try:
        yield url, log
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def call(url: str, path: str, *, method: str = "GET", body: bytes | None = None, **headers):
    headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def assert_json_error(answer, status: int, code: str) -> None:
    got_status, headers, body = answer
    assert got_status == status, body[:300]
    assert headers["Content-Type"].startswith("application/json"), body[:300]
    assert json.loads(body)["code"] == code
    assert b"Traceback" not in body and b"<html" not in body.lower()


def test_an_unknown_api_route_is_a_json_404(debug_server):
    url, _ = debug_server
    assert_json_error(call(url, "/api/no-such-route"), 404, "not_found")
    assert_json_error(call(url, "/api/auth/me/"), 404, "not_found")


def test_an_error_outside_the_views_is_a_json_500_without_a_traceback(debug_server):
    url, _ = debug_server
    # The session lookup runs in middleware, before any view, and the table does not exist.
    answer = call(url, "/api/auth/me", Authorization="Bearer x" * 3)
    assert_json_error(answer, 500, "server_error")
    assert answer[1]["Cache-Control"] == "no-store"


def test_a_lone_surrogate_is_a_json_400(debug_server):
    url, _ = debug_server
    body = b'{"email": "a@example.com", "password": "x", "transport": "\\ud800"}'
    assert_json_error(call(url, "/api/auth/login", method="POST", body=body), 400, "parse_error")


def test_an_oversized_body_is_a_json_413(debug_server):
    url, _ = debug_server
    body = b'{"email": "' + b"a" * 3_000_000 + b'"}'
    answer = call(url, "/api/auth/login", method="POST", body=body)
    assert_json_error(answer, 413, "payload_too_large")


def test_a_forged_host_is_a_json_400_and_one_log_line(debug_server):
    url, log = debug_server
    before = Path(log.name).read_text()
    assert_json_error(call(url, "/api/auth/csrf", Host="evil.example"), 400, "bad_request")
    time.sleep(0.5)
    logged = Path(log.name).read_text()[len(before) :]
    refusals = [line for line in logged.splitlines() if "Invalid HTTP_HOST" in line]
    assert len(refusals) == 1, logged
    assert "Traceback" not in logged


def test_the_browsable_api_still_answers_a_browser(debug_server):
    url, _ = debug_server
    status, headers, body = call(url, "/api/auth/csrf", Accept="text/html")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b"csrfToken" in body


def _read(log) -> str:
    log.seek(0)
    return log.read()
