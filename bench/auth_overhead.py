"""What authentication costs per request: GET /api/auth/me against the trivial endpoint.

Seeds 100,000 sessions of other users, serves the project as production does (gunicorn with
config/gunicorn.conf.py, 2 workers, DEBUG off) on loopback, loads it from a separate process
(wrk when installed, else a small Python client) in interleaved rounds, and reads the workers'
CPU time from /proc. The base is /api/health/live, a DRF view that does nothing;
/api/auth/csrf (which makes and masks a CSRF token) is kept beside it, as earlier runs used
it. The CPU-per-request ratio is the figure to trust on a noisy machine.

    python -m bench.auth_overhead                          # SQLite (a temporary file)
    python -m bench.auth_overhead --database-url postgres://postgres@127.0.0.1:5432/bench_auth
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.production_env import production_environment

ROOT = Path(__file__).resolve().parents[1]
LIVE_PATH = "/api/health/live"
CSRF_PATH = "/api/auth/csrf"
AUTH_PATH = "/api/auth/me"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=8, help="rounds per endpoint")
    parser.add_argument("--seconds", type=int, default=4, help="length of one round")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--prepare-threshold",
        default="",
        help="PostgreSQL: DB_PREPARE_THRESHOLD for the server (default: the settings')",
    )
    return parser.parse_args()


def environment(args: argparse.Namespace, database_url: str) -> dict[str, str]:
    extra = {"DB_PREPARE_THRESHOLD": args.prepare_threshold} if args.prepare_threshold else {}
    return production_environment(
        database_url=database_url, redis_url=args.redis_url, DB_CONN_MAX_AGE="600", **extra
    )


SEED = """
import sys, django
django.setup()
from datetime import timedelta
from django.utils import timezone
from accounts.models import AuthSession, User
from accounts.sessions import session_create
from accounts.digests import keyed_digest, random_token
from django.conf import settings

wanted = int(sys.argv[1])
now = timezone.now()
users = User.objects.bulk_create(
    User(email=f"other{i}@bench.example", name="other") for i in range(1000)
)
batch = []
for i in range(wanted):
    batch.append(AuthSession(
        user=users[i % len(users)],
        token_hash=keyed_digest(random_token(), settings.AUTH_SESSION_SECRET),
        last_used_at=now, expires_at=now + timedelta(days=30),
    ))
    if len(batch) == 5000:
        AuthSession.objects.bulk_create(batch)
        batch = []
AuthSession.objects.bulk_create(batch)
me = User.objects.create_user(email="bench@bench.example", password=None, name="Bench")
_, token = session_create(user=me)
print(token)
"""

LOGIN_TIME = """
import time, django
django.setup()
from accounts.passwords import Argon2idPasswordHasher
hasher = Argon2idPasswordHasher()
encoded = hasher.encode("correct horse battery staple", hasher.salt())
runs = []
for _ in range(10):
    start = time.perf_counter()
    hasher.verify("correct horse battery staple", encoded)
    runs.append(time.perf_counter() - start)
runs.sort()
print(f"{runs[len(runs) // 2] * 1000:.1f}")
"""


def run_django(code: str, env: dict[str, str], *argv: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(result.stderr)
    return result.stdout.strip().splitlines()[-1]


def prepare_database(args: argparse.Namespace, workdir: Path) -> str:
    if not args.database_url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    url = args.database_url.replace("postgres://", "postgresql://")
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return args.database_url


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"p50\\": %d, \\"p99\\": %d}\\n",
    summary.requests, latency:percentile(50), latency:percentile(99)))
end
"""


def load_with_wrk(url: str, headers: dict[str, str], args, script: Path) -> dict:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return json.loads(re.search(r"^JSON (.*)$", output, re.M).group(1))


PY_CLIENT = """
import http.client, json, sys, threading, time
host, port, path, seconds, conns, header = sys.argv[1:7]
headers = json.loads(header)
latencies, stop = [], time.monotonic() + float(seconds)
def loop():
    c = http.client.HTTPConnection(host, int(port))
    while time.monotonic() < stop:
        t = time.perf_counter(); c.request("GET", path, headers=headers)
        c.getresponse().read(); latencies.append(time.perf_counter() - t)
threads = [threading.Thread(target=loop) for _ in range(int(conns))]
[t.start() for t in threads]; [t.join() for t in threads]
latencies.sort()
q = lambda p: int(latencies[int(p * (len(latencies) - 1))] * 1e6)
print(json.dumps({"requests": len(latencies), "p50": q(0.5), "p99": q(0.99)}))
"""


def load_with_python(url: str, headers: dict[str, str], args) -> dict:
    host_port, path = url.removeprefix("http://").split("/", 1)
    host, port = host_port.split(":")
    argv = [host, port, "/" + path, str(args.seconds), str(args.connections), json.dumps(headers)]
    output = subprocess.run(
        [sys.executable, "-c", PY_CLIENT, *argv], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-auth-"))
    database_url = prepare_database(args, workdir)
    env = environment(args, database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    token = run_django(SEED, env, str(args.sessions))
    login_ms = run_django(LOGIN_TIME, env)

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi",
         "--workers", "2", "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    use_wrk = shutil.which("wrk") is not None
    names = ("live", "csrf", "me")
    try:
        wait_until_up(base + LIVE_PATH)
        pids = worker_pids(server.pid)
        targets = {
            "live": (base + LIVE_PATH, {}),
            "csrf": (base + CSRF_PATH, {}),
            "me": (base + AUTH_PATH, {"Authorization": f"Bearer {token}"}),
        }
        for url, headers in targets.values():  # warm-up: imports, connections, caches
            load_with_python(url, headers, argparse.Namespace(seconds=1, connections=2))
        results: dict[str, list[dict]] = {name: [] for name in names}
        # Interleaved (live, csrf, me, me, csrf, live, ...): a drift of the machine's load
        # weighs on every endpoint alike.
        order = [*names, *reversed(names)] * ((args.rounds + 1) // 2)
        for name in order[: len(names) * args.rounds]:
            url, headers = targets[name]
            before = cpu_ticks(pids)
            stats = (
                load_with_wrk(url, headers, args, script)
                if use_wrk
                else load_with_python(url, headers, args)
            )
            stats["cpu_us"] = (cpu_ticks(pids) - before) / CLOCK_TICKS * 1e6 / stats["requests"]
            stats["rps"] = stats["requests"] / args.seconds
            results[name].append(stats)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"database: {database_url.split(':')[0]}, load generator: {'wrk' if use_wrk else 'python'}"
    )
    print(f"{args.sessions} other sessions, {args.rounds} rounds x {args.seconds}s per endpoint")
    for name, rounds in results.items():
        m = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
        print(
            f"{name:5} {m['rps']:8.0f} req/s  p50 {m['p50'] / 1000:6.2f} ms  "
            f"p99 {m['p99'] / 1000:6.2f} ms  CPU {m['cpu_us']:6.0f} us/request"
        )
    for base_name in ("live", "csrf"):
        pairs = list(zip(results["me"], results[base_name], strict=True))
        cpu = statistics.median(op["cpu_us"] / me["cpu_us"] for me, op in pairs)
        throughput = statistics.median(me["rps"] / op["rps"] for me, op in pairs)
        print(
            f"{base_name:5}/me (median of rounds): CPU-per-request ratio {cpu:.2f}, "
            f"throughput ratio me/{base_name} {throughput:.2f}"
        )
    print(f"one login (Argon2id m=19 MiB, t=2, p=1 verify), median of 10: {login_ms} ms")


if __name__ == "__main__":
    main()
