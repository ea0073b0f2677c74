"""Latency of GET /api/search over 10,000 stored passages, through Django's whole stack.

Run from the repository root: ``.venv/bin/python -m bench.search_http``. It migrates a scratch
SQLite database, stores synthetic passages (bench.search_latency's, embeddings included), signs a
user in, and times requests with Django's test client: URL routing, every middleware (the /api/
guard's session lookup included), the view, the index and JSON rendering; no socket.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.search_latency import (
    add_corpus_arguments,
    cranfield_queries,
    embeddings_for,
    synthetic_passages,
)


def setup_django(database: Path) -> None:
    """Point the project at a scratch database before Django reads its settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "true"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def store_passages(passages: list[str], matrix: np.ndarray) -> None:
    """One synthetic file of passages, as ingest_book would store them, and a new version."""
    from chatbot.corpus_version import corpus_version_bump
    from chatbot.embeddings import MODEL_ID
    from chatbot.models import BookFile, Passage

    record = BookFile.objects.create(path="synthetic.md", content_hash="0" * 64)
    Passage.objects.bulk_create(
        (
            Passage(
                file=record,
                ordinal=i,
                heading_path=["Synthetic", f"Passage {i}"],
                anchor=f"passage-{i}",
                text=text,
                file_hash=record.content_hash,
                embedding=np.asarray(vector, dtype="<f4").tobytes(),
                embedding_model=MODEL_ID,
            )
            for i, (text, vector) in enumerate(zip(passages, matrix, strict=True))
        ),
        batch_size=1000,
    )
    corpus_version_bump()


def time_requests(client, queries: Sequence[str], rounds: int) -> np.ndarray:
    """Milliseconds per GET /api/search?q=...&k=10, every query ``rounds`` times."""
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            response = client.get("/api/search", {"q": query, "k": 10})
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content
    return np.array(samples)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        setup_django(Path(scratch) / "bench.sqlite3")
        from django.core.management import call_command
        from django.test import Client

        from accounts.models import User
        from accounts.sessions import session_create
        from chatbot import search
        from chatbot.embeddings import Embedder

        call_command("migrate", verbosity=0)
        passages = synthetic_passages(args.cranfield, args.passages, args.words, args.seed)
        matrix, _ = embeddings_for(Embedder(), passages, args.distinct, args.seed)
        store_passages(passages, matrix)
        queries = cranfield_queries(args.cranfield)
        _, token = session_create(user=User.objects.create_user("bench@example.com"))
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        start = time.perf_counter()
        client.get("/api/search", {"q": "warm up"})
        build = time.perf_counter() - start
        mode = search.corpus_current().index.mode
        # The index's own memory: build it again with allocations traced (numpy's included).
        tracemalloc.start()
        corpus = search.corpus_build(version=-1)
        held = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        del corpus
        time_requests(client, queries[:20], 1)
        ms = time_requests(client, queries, args.rounds)

    print(
        f"{args.passages} passages ({mode}), {len(queries)} queries x {args.rounds}; "
        f"first request (index build): {build:.1f} s; index memory: {held:.0f} MiB\n"
    )
    print("| operation | p50 ms | p95 ms | mean ms |\n| --- | --- | --- | --- |")
    print(
        f"| GET /api/search?q=..&k=10 ({mode}) | {np.percentile(ms, 50):.1f} "
        f"| {np.percentile(ms, 95):.1f} | {ms.mean():.1f} |"
    )


if __name__ == "__main__":
    main()
