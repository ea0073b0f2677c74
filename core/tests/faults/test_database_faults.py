"""The database refused, blackholed and restarted under a served app: every route answers
503 `unavailable` within bounds, no worker is killed, and service resumes on its own."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.faults

# Generous against a loaded machine, far below gunicorn's worker timeout.
REQUEST_BOUND, HEALTH_BOUND = 6.0, 5.0


def _routes(account: dict) -> list[tuple[str, str, dict | None, dict]]:
    bearer = {"Authorization": f"Bearer {account['token']}"}
    return [
        ("GET", "/api/auth/me", None, bearer),  # the session lookup, in the middleware
        ("POST", "/api/auth/login", {"email": account["email"], "password": PASSWORD}, {}),
        ("POST", "/api/auth/register", {"email": "x@example.com", "password": PASSWORD}, {}),
        ("POST", "/api/chat", {"question": "What is a humanoid?"}, bearer),
        ("GET", "/api/search?q=balance", None, bearer),
    ]


def _assert_unavailable(reply, bound: float = REQUEST_BOUND) -> None:
    assert reply.status == 503, reply.body
    assert reply.json() == {
        "detail": "The service is temporarily unavailable; try again shortly.",
        "code": "unavailable",
    }
    assert reply.headers["Retry-After"] == "5"
    assert reply.seconds < bound, reply.seconds


def _assert_outage_answers(server, account) -> None:
    """Each route twice (both workers, fresh and kept-open connections), then health."""
    for method, path, body, headers in _routes(account) * 2:
        reply = server.request(method, path, body, **headers)
        print(f"{method} {path}: {reply.status} in {reply.seconds:.3f} s")  # figures with -s
        _assert_unavailable(reply)
    # A plain Django view (the admin reads Django's session) answers 503 too, in HTML.
    admin = server.request("GET", "/admin/", Cookie="sessionid=" + "a" * 32)
    assert admin.status == 503 and admin.headers["Retry-After"] == "5"
    assert admin.seconds < REQUEST_BOUND
    health = server.request("GET", "/api/health")
    print(f"GET /admin/: {admin.status} in {admin.seconds:.3f} s")
    print(f"GET /api/health: {health.status} in {health.seconds:.3f} s")
    assert health.status == 503 and health.json()["database"] == "unavailable"
    assert health.seconds < HEALTH_BOUND, health.seconds


def _assert_recovers(server, account) -> None:
    bearer = {"Authorization": f"Bearer {account['token']}"}
    deadline = time.monotonic() + 10
    while server.request("GET", "/api/health").status != 200:
        assert time.monotonic() < deadline, "no recovery"
        time.sleep(0.2)
    with ThreadPoolExecutor(2) as pool:
        replies = list(
            pool.map(lambda _: server.request("GET", "/api/auth/me", **bearer), range(6))
        )
    assert [r.status for r in replies] == [200] * 6


def _assert_no_worker_killed(server) -> None:
    log = server.log.read_text()
    assert "WORKER TIMEOUT" not in log
    assert "was sent SIGKILL" not in log


def _assert_outage_then_recovery(server, proxy, fault, account) -> None:
    """Every route answers 503 while `fault` lasts, and all works once it ends."""
    fault()
    try:
        _assert_outage_answers(server, account)
    finally:
        proxy.restore()
    _assert_recovers(server, account)
    _assert_no_worker_killed(server)


def test_a_refused_database_answers_503_at_once_on_every_route(faulty, account):
    server, proxy = faulty
    _assert_outage_then_recovery(server, proxy, proxy.refuse, account)


def test_a_database_that_stops_answering_answers_503_within_seconds(faulty, account):
    server, proxy = faulty
    _assert_recovers(server, account)  # both workers hold a kept-open connection
    _assert_outage_then_recovery(server, proxy, proxy.blackhole, account)


def test_the_first_requests_after_a_database_restart_succeed(faulty, account):
    server, proxy = faulty
    _assert_recovers(server, account)
    proxy.cut()  # every kept-open connection ends, as when PostgreSQL restarts
    bearer = {"Authorization": f"Bearer {account['token']}"}
    login = {"email": account["email"], "password": PASSWORD}

    def first_request(n: int):
        if n % 2:
            return server.request("POST", "/api/auth/login", login)
        return server.request("GET", "/api/auth/me", **bearer)

    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(first_request, range(8)))
    print("after a restart:", [f"{r.status} in {r.seconds:.3f} s" for r in replies])
    assert [r.status for r in replies] == [200] * 8, [r.body for r in replies]
    _assert_no_worker_killed(server)
