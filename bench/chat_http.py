"""Chat latency on a served process: ``POST /api/chat`` to gunicorn on loopback.

Run from the repository root (needs Redis, as production settings do)::

    .venv/bin/python -m bench.chat_http [--set bench/devset/questions.jsonl] [--rounds 2]

It migrates a scratch SQLite database, ingests the book, signs in enough users that the chat
limit (30 a minute per user) is never reached, starts gunicorn (1 sync worker, ``DEBUG`` off,
no LLM) and posts every question of the set, one at a time, with a bearer token, in rounds.
The first round is a fresh worker's: passages met for the first time embed their sentences.
Later rounds are a long-running worker's. It prints p50/p95 per round.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.answer_eval import DEFAULT_SET, load_set
from bench.answer_report import percentile
from bench.auth_overhead import run_django, wait_until_up
from bench.production_env import production_environment

ROOT = Path(__file__).resolve().parents[1]
PER_USER = 25

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
    user = User.objects.create_user(email=f"chat{i}@bench.example", password=None, name="B")
    tokens.append(session_create(user=user)[1])
print(" ".join(tokens))
"""


def environment(database_url: str, redis_url: str) -> dict[str, str]:
    """Production settings on loopback, the LLM switched off."""
    return production_environment(
        database_url=database_url,
        redis_url=redis_url,
        CACHE_KEY_PREFIX="bench-chat-http",
        LLM_API_KEY="",
    )


def post(conn: http.client.HTTPConnection, token: str, question: str) -> float:
    """One whole (not streamed) chat answer; its wall time in ms."""
    body = json.dumps({"question": question})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    conn.request("POST", "/api/chat", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        sys.exit(f"POST /api/chat answered {response.status}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()
    questions = [item.question for item in load_set(args.set)]
    workdir = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    env = environment(f"sqlite:///{workdir / 'chat.sqlite3'}", args.redis_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    users = len(questions) * args.rounds // PER_USER + 2
    tokens = run_django(SEED, env, str(users)).split()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{args.port}/api/auth/csrf")
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        sent = 0
        # The worker's first chat builds the index and loads the model: not a reader's wait.
        post(conn, tokens[-1], "How does a robot keep its balance?")
        for round_ in range(1, args.rounds + 1):
            times = []
            for question in questions:
                times.append(post(conn, tokens[sent // PER_USER], question))
                sent += 1
            print(
                f"round {round_}: {len(times)} POST /api/chat, p50 {percentile(times, 50):.1f} "
                f"ms, p95 {percentile(times, 95):.1f} ms"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
