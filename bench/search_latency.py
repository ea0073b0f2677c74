"""Latency of HybridIndex.search over 10,000 synthetic ~200-word passages, embedding included.

Run from the repository root: ``.venv/bin/python -m bench.search_latency``. Passages are random
sentences of Cranfield abstracts; queries are Cranfield's 225 questions.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench.cranfield import DEFAULT_DIR, cranfield_docs
from chatbot.embeddings import Embedder, default_threads
from chatbot.retrieval.hybrid import HybridIndex


def synthetic_passages(folder: Path, count: int, words: int, seed: int) -> list[str]:
    """Passages of about ``words`` words, each a random draw of abstract sentences."""
    sentences = [
        s.strip() + "."
        for _, _, text in cranfield_docs(folder)
        for s in re.split(r"\s\.\s*", text)
        if len(s.split()) >= 4
    ]
    rng = random.Random(seed)
    passages = []
    for _ in range(count):
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < words:
            picked.append(rng.choice(sentences))
        passages.append(" ".join(picked))
    return passages


def embeddings_for(
    embedder: Embedder, passages: list[str], distinct: int, seed: int
) -> tuple[np.ndarray, float]:
    """Embed ``distinct`` passages for real; the rest reuse one of those vectors plus noise.

    Dense search costs one (n x 384) matrix-vector product whatever the vectors hold, so only
    the shape matters for latency; embedding 10,000 passages would take minutes of CPU.
    Returns the matrix and the seconds spent per really embedded passage.
    """
    start = time.perf_counter()
    real = embedder.embed(passages[:distinct])
    per_passage = (time.perf_counter() - start) / distinct
    rng = np.random.default_rng(seed)
    rows = real[np.arange(len(passages)) % distinct]
    rows = rows + rng.normal(0.0, 0.02, rows.shape).astype(np.float32)
    rows[:distinct] = real
    return rows / np.linalg.norm(rows, axis=1, keepdims=True), per_passage


def timings(call: Callable[[str], object], queries: Sequence[str], rounds: int) -> np.ndarray:
    """Milliseconds per call, every query ``rounds`` times."""
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            call(query)
            samples.append((time.perf_counter() - start) * 1000)
    return np.array(samples)


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """The synthetic corpus's knobs, shared with bench.search_http."""
    parser.add_argument("--cranfield", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--distinct", type=int, default=500, help="passages really embedded")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)


def cranfield_queries(cranfield: Path) -> list[str]:
    raw = (cranfield / "cran.qry.xml").read_text(encoding="utf-8")
    return [" ".join(q.split()) for q in re.findall(r"<title>(.*?)</title>", raw, re.S)]


def main(argv: Sequence[str] | None = None) -> None:
    """Build the index, warm it up, then print p50/p95 per search as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)

    passages = synthetic_passages(args.cranfield, args.passages, args.words, args.seed)
    queries = cranfield_queries(args.cranfield)
    embedder = Embedder()
    matrix, per_passage = embeddings_for(embedder, passages, args.distinct, args.seed)
    start = time.perf_counter()
    index = HybridIndex(passages, matrix, embedder)
    build = time.perf_counter() - start
    single_pass = HybridIndex(passages, matrix, embedder, feedback=None)
    lexical_only = HybridIndex(passages)
    for query in queries[:20]:
        index.search(query, 10)

    mean_words = np.mean([len(p.split()) for p in passages])
    print(
        f"{len(passages)} passages of {mean_words:.0f} words on average, {len(queries)} queries x "
        f"{args.rounds}, onnxruntime intra-op threads {default_threads()}\n"
        f"ingestion embedding: {per_passage * 1000:.1f} ms per passage (batch of {args.distinct})\n"
        f"index build (BM25 postings + matrix): {build:.1f} s\n"
    )
    print("| operation | p50 ms | p95 ms | mean ms |\n| --- | --- | --- | --- |")
    for name, call in (
        ("HybridIndex.search(q, 10), hybrid", lambda q: index.search(q, 10)),
        ("  of which: query embedding", lambda q: embedder.embed([q])),
        ("HybridIndex.search(q, 10), hybrid without feedback", lambda q: single_pass.search(q, 10)),
        ("HybridIndex.search(q, 10), lexical only", lambda q: lexical_only.search(q, 10)),
    ):
        ms = timings(call, queries, args.rounds)
        print(
            f"| {name} | {np.percentile(ms, 50):.1f} | {np.percentile(ms, 95):.1f}"
            f" | {ms.mean():.1f} |"
        )


if __name__ == "__main__":
    main()
