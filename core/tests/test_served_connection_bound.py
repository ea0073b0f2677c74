"""However many threads serve requests, a PostgreSQL server sees at most workers x pool
connections from the shipped server (config/gunicorn.conf.py, threaded workers)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from accounts.tests.served import Database, environment, migrate, session_tokens
from core.tests.faults.served import Served

WORKERS, THREADS, POOL = 2, 8, 2
CLIENTS, REQUESTS = 24, 240


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with Database() as database:
        if database.url.startswith("sqlite"):
            pytest.skip("connection bounds are PostgreSQL's (DATABASE_URL)")
        env = environment(
            database,
            GUNICORN_WORKERS=str(WORKERS),
            GUNICORN_THREADS=str(THREADS),
            DB_POOL_MAX_SIZE=str(POOL),
        )
        migrate(env)
        (token,) = session_tokens(env, 1)
        server = Served(env, tmp_path_factory.mktemp("bound") / "error.log")
        try:
            yield server, database, token
        finally:
            server.stop()


def test_concurrent_requests_share_each_workers_pool(served):
    server, database, token = served
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            (count,), = database.rows(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", database.name
            )  # fmt: skip
            peak[0] = max(peak[0], count - 1)  # this sampler's own connection
            time.sleep(0.01)

    def me(_: int) -> int:
        return requests.get(
            f"{server.url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=30
        ).status_code

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(CLIENTS) as clients:
            statuses = list(clients.map(me, range(REQUESTS)))
    finally:
        done.set()
        sampler.join()
    assert statuses == [200] * REQUESTS
    assert 0 < peak[0] <= WORKERS * POOL, peak[0]
