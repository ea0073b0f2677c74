"""Serving under load: sign-in traffic beside a hundred slow streamed answers, then a mix.

Serves the project as production does (`gunicorn -c config/gunicorn.conf.py config.wsgi`,
DEBUG off, Redis) on loopback, with an OpenAI-compatible fake model (`chatbot/tests/fake_model.py`)
that streams each answer's 200 tokens over 20 s. It measures `/api/auth/me` (4 clients in
closed loops, from a process of its own) alone, then while 100 streamed chats of 100 users are
open; then a mixed load (16 clients: 10% sign-in, 40% me, 25% search, 25% streamed chat, the
model fast). It prints me's throughput and p50/p99, the streams completed intact, and the
server's peak memory (the sum of its processes' resident sets, sampled).

    python -m bench.serving                                  # SQLite (a temporary file)
    python -m bench.serving --database-url postgres://postgres@127.0.0.1:5432/bench_serving
    python -m bench.serving --worker-class sync --threads 1  # the sync workers, for comparison
"""

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.auth_overhead import load_with_python, prepare_database, run_django, wait_until_up
from bench.production_env import production_environment
from bench.server_memory import MemorySampler
from bench.serving_load import QUESTIONS, SEARCH
from chatbot.tests.fake_model import FakeModel, numbered_tokens

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench passphrase, long enough"
MIX = {"login": 10, "me": 40, "search": 25, "chat": 25}
QUESTION = QUESTIONS[0]

SEED = """
import sys, django
django.setup()
from pathlib import Path
from accounts.models import User
from accounts.sessions import session_create
from chatbot.ingest import book_ingest
from chatbot.search import search_embedder
book_ingest(root=Path("chatbot/book"), embedder=search_embedder())
tokens = []
for i in range(int(sys.argv[1])):
    user = User.objects.create_user(email=f"reader{i}@bench.example", password=sys.argv[2])
    tokens.append(session_create(user=user)[1])
print(" ".join(tokens))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--stream-seconds", type=float, default=20)
    parser.add_argument("--me-seconds", type=int, default=8, help="each me measurement")
    parser.add_argument("--me-connections", type=int, default=4)
    parser.add_argument("--mixed-seconds", type=int, default=20)
    parser.add_argument("--mixed-concurrency", type=int, default=16)
    parser.add_argument("--mixed-stream-seconds", type=float, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--worker-class", default="", help="default: the configuration's")
    parser.add_argument("--port", type=int, default=8781)
    return parser.parse_args()


class Stream(threading.Thread):
    """One reader's streamed chat: counts the model's deltas and checks the text and the end."""

    def __init__(self, base: str, token: str, expected: str, question: str = QUESTION) -> None:
        super().__init__(daemon=True)
        self.question = question
        self.host, self.port = base.removeprefix("http://").split(":")
        self.token, self.expected = token, expected
        self.opened = threading.Event()
        self.intact, self.seconds, self.error = False, 0.0, ""

    def run(self) -> None:
        start = time.monotonic()
        try:
            self.intact = self._read()
        except Exception as exc:  # a refused or cut stream is counted, not raised
            self.error = repr(exc)
        finally:
            self.seconds = time.monotonic() - start
            self.opened.set()

    def _read(self) -> bool:
        conn = http.client.HTTPConnection(self.host, int(self.port), timeout=120)
        body = json.dumps({"question": self.question})
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "text/event-stream",
            "Content-Type": "application/json",
        }
        conn.request("POST", "/api/chat", body=body, headers=headers)
        response = conn.getresponse()
        if response.status != 200:
            self.error = f"HTTP {response.status}"
            return False
        events, event = [], None
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                events.append((event, json.loads(line[6:])))
                if event == "delta":
                    self.opened.set()
        conn.close()
        text = "".join(data["text"] for name, data in events if name == "delta")
        done = events[-1] if events else (None, {})
        return done[0] == "done" and done[1]["generator"] == "llm" and text == self.expected


def me_load(base: str, token: str, args: argparse.Namespace) -> dict:
    load = argparse.Namespace(seconds=args.me_seconds, connections=args.me_connections)
    stats = load_with_python(base + "/api/auth/me", {"Authorization": f"Bearer {token}"}, load)
    return {
        "rps": stats["requests"] / args.me_seconds,
        "p50_ms": stats["p50"] / 1000,
        "p99_ms": stats["p99"] / 1000,
    }


def mixed_load(base: str, tokens: list[str], args: argparse.Namespace) -> dict:
    config = {
        "base": base,
        "seconds": args.mixed_seconds,
        "concurrency": args.mixed_concurrency,
        "mix": MIX,
        "tokens": tokens,
        "emails": [f"reader{i}@bench.example" for i in range(len(tokens))],
        "password": PASSWORD,
    }
    output = subprocess.run(
        [sys.executable, "-m", "bench.serving_load"],
        input=json.dumps(config), capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    return json.loads(output)


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    """As `make serve` starts it: the repository's configuration, overrides by environment."""
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"]
    if args.worker_class:
        command += ["--worker-class", args.worker_class]
    env = env | {
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
    }
    return subprocess.Popen(
        [*command, "--access-logfile", "/dev/null", "--log-level", "warning", "config.wsgi"],
        cwd=ROOT, env=env,
    )  # fmt: skip


def warm_up(base: str, tokens: list[str], workers: int, model: FakeModel) -> None:
    """A worker's first search builds its index and loads the embedding model (over 10 s
    here), and a passage met for the first time embeds its sentences: not a reader's wait.
    Rounds of concurrent chats with every question of the bench, and the mixed load's search,
    reach every worker, until a whole round answers within a second, the model answering at
    once."""
    model.seconds = 0.1
    with ThreadPoolExecutor(2 * workers) as pool:
        for round_ in range(12):
            streams = [
                Stream(base, tokens[(round_ * 2 * workers + i) % len(tokens)], "", question)
                for i, question in enumerate(QUESTIONS * workers)
            ]
            searches = pool.map(lambda token: search_seconds(base, token), tokens[: 2 * workers])
            list(pool.map(Stream.run, streams))
            if max(stream.seconds for stream in streams) < 1 and max(searches) < 1:
                return


def search_seconds(base: str, token: str) -> float:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    started = time.monotonic()
    conn.request("GET", SEARCH, headers={"Authorization": f"Bearer {token}"})
    conn.getresponse().read()
    conn.close()
    return time.monotonic() - started


def streams_phase(base: str, tokens: list[str], args, model: FakeModel) -> tuple[list, dict]:
    model.chunks, model.seconds = numbered_tokens(args.tokens), args.stream_seconds
    expected = "".join(model.chunks)
    streams = [Stream(base, token, expected) for token in tokens[: args.streams]]
    for stream in streams:
        stream.start()
    deadline = time.monotonic() + args.stream_seconds * 0.6
    for stream in streams:  # every stream has its first words before me is measured
        stream.opened.wait(max(0.0, deadline - time.monotonic()))
    opened = sum(s.opened.is_set() and not s.error for s in streams)
    me = me_load(base, tokens[-1], args) | {"streams_open_when_measured": opened}
    for stream in streams:
        stream.join(args.stream_seconds * 4)
    return streams, me


def progress(started: float, what: str) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {what}", file=sys.stderr, flush=True)


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    model = FakeModel(numbered_tokens(args.tokens), args.mixed_stream_seconds).start()
    database_url = prepare_database(args, workdir)
    env = production_environment(
        database_url=database_url,
        redis_url=args.redis_url,
        CACHE_KEY_PREFIX="bench-serving",
        LLM_API_KEY="bench-key",
        LLM_BASE_URL=model.url,
        LLM_TIMEOUT_SECONDS=str(int(args.stream_seconds * 3)),
        TRUSTED_PROXY_COUNT="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    tokens = run_django(SEED, env, str(max(args.streams, 16) + 1), PASSWORD).split()
    progress(started, "migrated, book ingested, readers signed in")
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args, env)
    try:
        wait_until_up(base + "/api/health/live")
        memory = MemorySampler(server.pid).start()
        warm_up(base, tokens, args.workers, model)
        progress(started, "served and warmed up")
        alone = me_load(base, tokens[-1], args)
        streams, beside = streams_phase(base, tokens, args, model)
        progress(started, "streams done")
        # Alone again: the base of the ratio is both runs' mean, so that a change in what
        # else the machine runs during the bench shows up as their difference.
        after = me_load(base, tokens[-1], args)
        model.seconds = args.mixed_stream_seconds
        mixed = mixed_load(base, tokens, args)
        progress(started, "mixed load done")
        peak = memory.stop()
    finally:
        server.terminate()
        server.wait(60)
    report(args, database_url, (alone, after), beside, streams, mixed, peak)


def report(args, database_url, alones, beside, streams, mixed, peak) -> None:
    kind = args.worker_class or "configuration's (gthread)"
    print(f"database: {database_url.split(':')[0]}; workers: {args.workers} x {args.threads} "
          f"threads, worker class {kind}")  # fmt: skip
    alone, after = alones
    for name, me in (
        ("me alone", alone),
        (f"me beside {args.streams} streams", beside),
        ("me alone after the streams", after),
    ):
        print(f"{name:26} {me['rps']:7.0f} req/s  p50 {me['p50_ms']:7.2f} ms  "
              f"p99 {me['p99_ms']:8.2f} ms")  # fmt: skip
    base = (alone["rps"] + after["rps"]) / 2
    print(f"me throughput beside streams / alone (mean of before and after): "
          f"{beside['rps'] / base:.2f}")  # fmt: skip
    print(f"streams open when me was measured: {beside['streams_open_when_measured']}")
    intact = [s for s in streams if s.intact]
    longest = max((s.seconds for s in streams), default=0)
    print(f"streams completed intact: {len(intact)} of {len(streams)} "
          f"(longest {longest:.1f} s for a {args.stream_seconds:g} s answer)")  # fmt: skip
    errors = sorted({s.error for s in streams if s.error})
    if errors:
        print(f"stream errors: {errors[:5]}")
    print(f"server peak memory (sum of RSS): {peak / 2**20:.0f} MiB")
    print(f"mixed load ({args.mixed_concurrency} clients, {args.mixed_seconds} s, model "
          f"{args.mixed_stream_seconds:g} s per answer):")  # fmt: skip
    for op, stats in mixed.items():
        print(f"  {op:7} {stats['ok']:6} ok  p50 {stats['p50_ms']:8.1f} ms  "
              f"p99 {stats['p99_ms']:8.1f} ms  statuses {stats['statuses']}")  # fmt: skip


if __name__ == "__main__":
    main()
