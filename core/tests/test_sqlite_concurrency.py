"""The embedded default holds up under the concurrency its own server gives it: concurrent
registrations against SQLite through a threaded server never meet "database is locked", and
a lock that cannot be had in time is 503, never 500."""

import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from accounts.tests.helpers import PASSWORD
from core.tests.faults.served import Served, manage, production_env

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite default")

CONCURRENT, ROUNDS = 8, 5
LOCK_WAIT_SECONDS = 2


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite")
    env = production_env(
        DEBUG="true",  # the in-process cache: the embedded default needs no Redis
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        RATELIMIT_ENABLE="false",
        DB_STATEMENT_TIMEOUT_SECONDS=str(LOCK_WAIT_SECONDS),
    )
    manage(env, "migrate", "--noinput", "-v0")
    server = Served(env, folder / "gunicorn.log", "--workers", "2", "--threads", "4")
    server.database = folder / "db.sqlite3"
    yield server
    server.stop()


def _register(server, start: Barrier) -> int:
    email = f"{secrets.token_hex(6)}@example.com"
    start.wait()
    return server.request("POST", "/api/auth/register", {"email": email, "password": PASSWORD})


def test_concurrent_registrations_on_sqlite_all_succeed(served):
    statuses = []
    for _ in range(ROUNDS):
        start = Barrier(CONCURRENT)
        with ThreadPoolExecutor(CONCURRENT) as pool:
            replies = pool.map(lambda _n, start=start: _register(served, start), range(CONCURRENT))
            statuses += [reply.status for reply in replies]
    assert statuses == [201] * CONCURRENT * ROUNDS, statuses


def test_a_write_lock_held_too_long_answers_503(served):
    holder = sqlite3.connect(served.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        reply = _register(served, Barrier(1))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert reply.status == 503, reply.body
    assert reply.json()["code"] == "unavailable"
    assert reply.headers["Retry-After"] == "5"
    assert LOCK_WAIT_SECONDS <= reply.seconds < LOCK_WAIT_SECONDS + 4
    assert _register(served, Barrier(1)).status == 201
