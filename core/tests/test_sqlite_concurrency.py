"""The embedded default holds up under the concurrency its own server gives it: concurrent
registrations against SQLite through a threaded server never meet "database is locked"."""

import secrets
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from core.tests.faults.served import Served, manage, production_env

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite default")

CONCURRENT, ROUNDS = 8, 5


def test_concurrent_registrations_on_sqlite_all_succeed(tmp_path):
    env = production_env(
        DEBUG="true",  # the in-process cache: the embedded default needs no Redis
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        RATELIMIT_ENABLE="false",
    )
    manage(env, "migrate", "--noinput", "-v0")
    server = Served(env, tmp_path / "gunicorn.log", "--workers", "2", "--threads", "4")
    try:
        statuses = []
        for _ in range(ROUNDS):
            start = Barrier(CONCURRENT)

            def register(_n: int) -> int:
                email = f"{secrets.token_hex(6)}@example.com"
                start.wait()
                body = {"email": email, "password": "correct horse battery staple"}
                return server.request("POST", "/api/auth/register", body).status

            with ThreadPoolExecutor(CONCURRENT) as pool:
                statuses += list(pool.map(register, range(CONCURRENT)))
    finally:
        server.stop()
    assert statuses == [201] * CONCURRENT * ROUNDS, statuses
