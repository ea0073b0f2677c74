"""What one search costs when the query is written to be expensive, over the shipped book.

Run from the repository root::

    DEBUG=true .venv/bin/python -m bench.search_cost [--queries 100] [--k 50] [--seed 0]

It migrates a scratch SQLite database, ingests ``chatbot/book/`` with the configured embedder
and times ``chatbot.search.passages_search`` (what ``GET /api/search`` calls) in-process on
random queries of the longest length the API accepts, of three kinds: letters and spaces,
random "words", and CJK characters (one model token each). The book's gold questions are the
reference. Kinds are interleaved, so a busy machine slows them all alike.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.answer_eval import BOOK, percentile, setup_django

LENGTH = 500  # chatbot.serializers.MAX_QUERY_CHARS


def letters(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase + " ") for _ in range(LENGTH))


def words(rng: random.Random) -> str:
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < LENGTH:
        out.append("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 8))))
    return " ".join(out)[:LENGTH]


def cjk(rng: random.Random) -> str:
    return "".join(
        chr(rng.randint(0x4E00, 0x9FFF)) if rng.random() < 0.8 else " " for _ in range(LENGTH)
    )


KINDS: dict[str, Callable[[random.Random], str]] = {
    "letters": letters,
    "words": words,
    "cjk": cjk,
}


def run(count: int, k: int, seed: int) -> dict[str, list[float]]:
    """Milliseconds per passages_search call, per kind of query."""
    from django.core.management import call_command

    from chatbot.ingest import book_ingest
    from chatbot.search import passages_search, search_embedder

    call_command("migrate", verbosity=0)
    book_ingest(root=BOOK, embedder=search_embedder())
    gold = [
        json.loads(line)["question"]
        for line in (BOOK / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(seed)
    queries = {name: [make(rng) for _ in range(count)] for name, make in KINDS.items()}
    queries["gold questions"] = [gold[i % len(gold)] for i in range(count)]
    # The first call builds the index and loads the model: not a reader's latency.
    passages_search(query=gold[0], k=k)
    samples: dict[str, list[float]] = {name: [] for name in queries}
    for i in range(count):
        for name, texts in queries.items():
            start = time.perf_counter()
            passages_search(query=texts[i], k=k)
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def table(samples: dict[str, Sequence[float]]) -> str:
    lines = ["| queries | n | p50 ms | p99 ms | total s |", "|---|---|---|---|---|"]
    for name, values in samples.items():
        lines.append(
            f"| {name} | {len(values)} | {percentile(values, 50):.1f} | "
            f"{percentile(values, 99):.1f} | {sum(values) / 1000:.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    parser.add_argument("--k", type=int, default=50, help="results asked for (the API's most)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(Path(scratch) / "search_cost.sqlite3")
        samples = run(args.queries, args.k, args.seed)
    print(table(samples))


if __name__ == "__main__":
    main()
