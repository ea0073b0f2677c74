"""How many wrong-password guesses get through the login limits under a concurrent burst.

Starts gunicorn (2 sync workers, DEBUG off, the real Redis) and fires BURST concurrent
wrong-password logins for one email, twice: all from one client address (the 5/min per
IP-and-email limit binds), then each from its own address via X-Forwarded-For behind one
trusted proxy (the 10-failures-per-email limit binds). Prints how many reached the password
check (401) and how many were refused (429).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python -m bench.login_limit [--burst 200] [--workers 2]
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

from bench.auth_overhead import wait_until_up

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = secrets.token_urlsafe(16)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_SECRET": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def create_users(env: dict[str, str], emails: list[str]) -> None:
    code = (
        "from accounts.models import User\n"
        f"for email in {emails!r}:\n"
        "    User.objects.filter(email=email).delete()\n"
        f"    User.objects.create_user(email=email, password={PASSWORD!r})\n"
    )
    manage(env, "shell", "-c", code)


def login(url: str, email: str, forwarded_for: str, start: Barrier) -> int:
    body = json.dumps({"email": email, "password": "wrong guess"}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
    )
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(url: str, email: str, size: int, *, distinct_addresses: bool) -> Counter:
    start = Barrier(size)
    with ThreadPoolExecutor(max_workers=size) as pool:
        futures = [
            pool.submit(
                login,
                url,
                email,
                f"198.51.{n // 250}.{n % 250 + 1}" if distinct_addresses else "203.0.113.9",
                start,
            )
            for n in range(size)
        ]
        return Counter(f.result() for f in futures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = server_env()
    manage(env, "migrate", "--noinput", "-v0")
    emails = [f"bench-{n}-{os.getpid()}@example.com" for n in range(2)]
    create_users(env, emails)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
        ],
        cwd=BASE_DIR,
        env=env,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/health")
        url = f"http://127.0.0.1:{port}/api/auth/login"
        for email, distinct, label in (
            (emails[0], False, "one client address"),
            (emails[1], True, "a new address per request"),
        ):
            began = time.perf_counter()
            counts = burst(url, email, args.burst, distinct_addresses=distinct)
            elapsed = time.perf_counter() - began
            through, refused = counts.pop(401, 0), counts.pop(429, 0)
            print(
                f"{args.burst} concurrent wrong-password logins, {label}: {through} reached "
                f"the password check (401), {refused} refused (429), other {dict(counts)}, "
                f"{elapsed:.2f}s, {args.workers} workers"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
