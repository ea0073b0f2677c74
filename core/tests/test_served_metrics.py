"""Served by gunicorn with two workers and PROMETHEUS_MULTIPROC_DIR: a scrape answered by
either worker counts every request; with the database and the cache both hung, liveness
answers at once and readiness within its deadline; LOG_FORMAT=json makes every line JSON."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.tests.blackhole import blackhole
from core.tests.helpers import free_port, wait_until_serving

BASE_DIR = Path(__file__).resolve().parents[2]
TOKEN = "served-metrics-token-0123456789"
REQUESTS = 40


def get(url: str, **headers) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("served")
    (tmp / "gunicorn.conf.py").write_text(
        "from core.metrics_gunicorn import child_exit, on_starting  # noqa: F401\n"
    )
    port = free_port()
    with blackhole() as hung_db, blackhole() as hung_cache:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(BASE_DIR),
            "DEBUG": "true",
            "DATABASE_URL": f"postgres://app@127.0.0.1:{hung_db}/app",
            "REDIS_URL": f"redis://127.0.0.1:{hung_cache}/0",
            "METRICS_TOKEN": TOKEN,
            "LOG_FORMAT": "json",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
            "PYTHONUNBUFFERED": "1",
        }
        stderr = (tmp / "stderr.log").open("w+")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi",
             "--config", str(tmp / "gunicorn.conf.py"),
             "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--error-logfile", str(tmp / "gunicorn.log")],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{url}/api/health/live", server, log=(tmp / "gunicorn.log").read_text)
        try:
            yield url, tmp, stderr
        finally:
            server.terminate()
            server.wait(timeout=60)
            stderr.close()


def scrape(url: str) -> float:
    status, body = get(f"{url}/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    wanted = {"method": "GET", "route": "health-live", "status": "200"}
    return sum(
        sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == "http_requests_total" and sample.labels == wanted
    )


def test_every_worker_s_requests_are_counted_by_any_worker_s_scrape(served):
    url, tmp, _ = served
    before = scrape(url)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: get(f"{url}/api/health/live")[0], range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    # Both workers served some: each has its own counter file.
    assert len(list((tmp / "metrics").glob("counter_*.db"))) == 2
    # Ten scrapes, answered by either worker, all see every request.
    assert {scrape(url) - before for _ in range(10)} == {REQUESTS}


def test_with_database_and_cache_hung_liveness_answers_and_readiness_within_5_s(served):
    url, _, _ = served
    started = time.monotonic()
    assert get(f"{url}/api/health/live") == (200, b'{"status":"ok"}')
    assert time.monotonic() - started < 2
    started = time.monotonic()
    status, body = get(f"{url}/api/health")
    took = time.monotonic() - started
    assert status == 503
    answer = json.loads(body)
    assert (answer["database"], answer["cache"]) == ("unavailable", "unavailable")
    assert took < 5


def test_every_line_the_service_writes_is_json(served):
    url, _, stderr = served
    get(f"{url}/no-such-page?token=SECRET789")
    time.sleep(0.5)
    stderr.seek(0)
    lines = [line for line in stderr.read().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    assert any(r.get("route") == "unmatched" and r.get("status") == 404 for r in records)
    assert all(r["request_id"] for r in records)
    assert not any("SECRET789" in line for line in lines)
