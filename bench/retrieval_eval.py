"""Retrieval quality of the lexical, dense and hybrid retrievers on Cranfield and the book.

Run from the repository root: ``.venv/bin/python -m bench.retrieval_eval``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import cranfield
from bench.cranfield import Collection, load_cranfield
from bench.ranking_metrics import mrr_at_10, ndcg_at_10, recall_at
from chatbot.chunking import Chunk, search_text, split_markdown
from chatbot.embeddings import MODEL_ID, Embedder
from chatbot.retrieval.dense import DenseIndex
from chatbot.retrieval.hybrid import (
    DEFAULT_FEEDBACK,
    RRF_K,
    Feedback,
    HybridIndex,
    reciprocal_rank_fusion,
)
from chatbot.retrieval.lexical import BM25_B, BM25_K1, LexicalIndex
from chatbot.retrieval.ranking import Hit

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results"
# Fewer gold questions than this say more about the sample than about the retriever.
MIN_GOLD = 10

Search = Callable[[str, int], list[Hit]]


def embed_cached(embedder: Embedder, texts: list[str], name: str) -> np.ndarray:
    """Embed once per (model, texts): the CPU embedding of a corpus takes about a minute."""
    key = hashlib.sha256("\x00".join([MODEL_ID, *texts]).encode()).hexdigest()[:16]
    path = CACHE / f"{name}-{key}.npy"
    if path.exists():
        return np.load(path)
    matrix = embedder.embed(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, matrix)
    return matrix


class CachedEmbedder:
    """Embeds each distinct text once, so a grid does not re-embed the same queries."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])


def retrievers(texts: list[str], embedder: Embedder, matrix: np.ndarray) -> dict[str, Search]:
    """The retrievers under test, with the shipped defaults, over the same texts."""
    hybrid = HybridIndex(texts, matrix, embedder)
    single_pass = HybridIndex(texts, matrix, embedder, feedback=None)
    dense = DenseIndex(matrix)
    return {
        "lexical": hybrid.lexical.search,
        "dense": lambda q, k: dense.search(embedder.embed([q])[0], k),
        "hybrid, no PRF": single_pass.search,
        "hybrid": hybrid.search,
    }


def per_query(search: Search, data: Collection, queries: range) -> np.ndarray:
    """One row of (nDCG@10, MRR@10, Recall@100) per judged query in ``queries``."""
    rows = []
    for q in queries:
        if not data.qrels[q]:
            continue
        ranked = [hit.doc for hit in search(data.queries[q], 100)]
        rels = data.qrels[q]
        rows.append(
            (ndcg_at_10(ranked, rels), mrr_at_10(ranked, rels), recall_at(ranked, rels, 100))
        )
    return np.array(rows)


def cranfield_scores(search: Search, data: Collection, queries: range) -> dict[str, float]:
    """Mean nDCG@10, MRR@10 and Recall@100 over the judged queries in ``queries``."""
    rows = per_query(search, data, queries)
    mean = rows.mean(axis=0)
    return {"nDCG@10": mean[0], "MRR@10": mean[1], "Recall@100": mean[2], "queries": len(rows)}


def paired(gain: np.ndarray) -> str:
    """Mean of per-query differences, its standard error, and wins/losses/ties."""
    se = gain.std(ddof=1) / math.sqrt(len(gain))
    wins, losses = int((gain > 0).sum()), int((gain < 0).sum())
    return f"{gain.mean():+.4f} (s.e. {se:.4f}) | {wins}/{losses}/{len(gain) - wins - losses}"


def tune_feedback(
    data: Collection, embedder: Embedder, matrix: np.ndarray, book: Book | None
) -> None:
    """Grid over the pseudo-relevance feedback settings of HybridIndex, on queries 1-112.

    The rule: ship the best nDCG@10 among the settings that keep the book's Recall@5 at least
    where the single fused pass has it; so the book's figures are printed for the best ten.
    """
    half = range(len(data.queries) // 2)
    cached = CachedEmbedder(embedder)
    base = HybridIndex(data.texts, matrix, cached, feedback=None)
    print(f"  hybrid without feedback: {cranfield_scores(base.search, data, half)['nDCG@10']:.4f}")
    # Without expansion terms the query weight changes nothing, so terms=0 appears once; terms=0
    # with beta=0 would be the single pass again.
    grid = [
        Feedback(docs, terms, query_weight if terms else 1.0, beta)
        for docs, terms, query_weight, beta in itertools.product(
            (3, 5, 7, 10), (0, 10, 15, 20), (0.2, 0.3, 0.5), (0.0, 0.5, 1.0, 2.0)
        )
        if (terms or beta) and (terms or query_weight == 0.2)
    ]
    scores = []
    for feedback in grid:
        index = HybridIndex(data.texts, matrix, cached, feedback=feedback)
        scores.append(cranfield_scores(index.search, data, half)["nDCG@10"])
    order = np.argsort(scores)[::-1]
    book_vectors = cached.embed(book.texts) if book is not None else None

    def on_book(feedback: Feedback | None) -> str:
        if book is None:
            return ""
        index = HybridIndex(book.texts, book_vectors, cached, feedback=feedback)
        ranks = np.array(book_ranks(index.search, book))
        return f", book Recall@5 {np.mean(ranks > 0):.3f} Recall@1 {np.mean(ranks == 1):.3f}"

    print(f"  without feedback{on_book(None)}")
    print(f"  feedback grid, {len(grid)} settings, best 10:")
    for i in order[:10]:
        print(f"    {grid[i]}: {scores[i]:.4f}{on_book(grid[i])}")
    for label, keep in (
        ("RM3 only (beta=0)", lambda f: f.beta == 0),
        ("Rocchio only (terms=0)", lambda f: f.terms == 0),
    ):
        i = next(i for i in order if keep(grid[i]))
        print(f"  best {label}: {grid[i]}: {scores[i]:.4f}")
    print(f"  median over the grid: {np.median(scores):.4f}; shipped {DEFAULT_FEEDBACK}")


def tune(data: Collection, embedder: Embedder, matrix: np.ndarray, book: Book | None) -> None:
    """Grids over BM25 k1/b, the RRF constant and the feedback, on queries 1-112 only."""
    half = range(len(data.queries) // 2)
    print(f"tuning on queries 1-{len(half)} (nDCG@10)")
    for k1 in (0.9, 1.2, 1.5, 2.0):
        for b in (0.4, 0.6, 0.75, 0.9):
            score = cranfield_scores(LexicalIndex(data.texts, k1=k1, b=b).search, data, half)
            print(f"  bm25 k1={k1} b={b}: {score['nDCG@10']:.4f}")
    lexical = LexicalIndex(data.texts)
    dense = DenseIndex(matrix)
    texts = [data.queries[q] for q in half]
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    grid = [(rrf_k, (1.0, 1.0)) for rrf_k in (10, 30, 60, 100)]
    grid += [(RRF_K, weights) for weights in ((1.0, 1.5), (1.5, 1.0), (1.0, 2.0))]
    for rrf_k, weights in grid:

        def fused(
            q: str, k: int, rrf_k: float = rrf_k, weights: tuple[float, float] = weights
        ) -> list[Hit]:
            rankings = [lexical.search(q, 100), dense.search(vectors[q], 100)]
            return reciprocal_rank_fusion(rankings, k, rrf_k=rrf_k, weights=weights)

        score = cranfield_scores(fused, data, half)["nDCG@10"]
        print(f"  rrf k={rrf_k} weights lexical/dense={weights}: {score:.4f}")
    tune_feedback(data, embedder, matrix, book)


@dataclass(frozen=True)
class Book:
    """The book's passages (searched as heading path + text) and its gold questions."""

    chunks: list[Chunk]
    texts: list[str]
    gold: list[dict[str, str]]


def load_book(book: Path) -> Book | None:
    """The book, or None (with a message) while it has fewer than MIN_GOLD gold questions."""
    gold_path = book / "gold.jsonl"
    gold = (
        [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line]
        if gold_path.exists()
        else []
    )
    if len(gold) < MIN_GOLD:
        print(f"\nbook: skipped, {gold_path} has {len(gold)} questions (< {MIN_GOLD})")
        return None
    chunks = [
        c for f in sorted(book.glob("*.md")) for c in split_markdown(f.read_text(), file=f.name)
    ]
    return Book(chunks, [search_text(c.heading_path, c.text) for c in chunks], gold)


def book_ranks(search: Search, book: Book) -> list[int]:
    """Rank (1-based) of the first passage with the gold file and anchor, 0 if not in the top 5."""
    return [
        next(
            (
                i
                for i, h in enumerate(search(g["question"], 5), start=1)
                if (book.chunks[h.doc].file, book.chunks[h.doc].anchor) == (g["file"], g["anchor"])
            ),
            0,
        )
        for g in book.gold
    ]


def book_recall(book: Book, embedder: Embedder) -> None:
    """Recall@5 on the book's gold questions: a hit when a top-5 passage has the file and anchor."""
    runs = retrievers(book.texts, embedder, embedder.embed(book.texts))
    print(f"\nbook: {len(book.gold)} questions over {len(book.chunks)} passages\n")
    print("| retriever | Recall@5 | Recall@1 |\n| --- | --- | --- |")
    for name, search in runs.items():
        ranks = book_ranks(search, book)
        at5 = np.mean([r > 0 for r in ranks])
        print(f"| {name} | {at5:.3f} | {np.mean([r == 1 for r in ranks]):.3f} |")
        for g, rank in zip(book.gold, ranks, strict=True):
            if not rank:
                print(f"    miss: {g['question']} -> {g['file']}#{g['anchor']}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cranfield", type=Path, default=cranfield.DEFAULT_DIR)
    parser.add_argument("--book", type=Path, default=ROOT / "chatbot" / "book")
    parser.add_argument("--tune", action="store_true", help="grid search on the first half")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the Cranfield table (all queries and both halves) and the book Recall@5."""
    args = parse_args(argv)
    embedder = Embedder()
    data = load_cranfield(args.cranfield)
    matrix = embed_cached(embedder, data.texts, "cranfield")
    book = load_book(args.book)
    if args.tune:
        tune(data, embedder, matrix, book)
    runs = retrievers(data.texts, embedder, matrix)
    half = len(data.queries) // 2
    print(f"\ncranfield: {len(data.texts)} docs, BM25 k1={BM25_K1} b={BM25_B}, RRF k={RRF_K}")
    print(f"hybrid: {DEFAULT_FEEDBACK}\n")
    print(
        "| retriever | queries | nDCG@10 | MRR@10 | Recall@100 |\n| --- | --- | --- | --- | --- |"
    )
    splits = {
        "all": range(len(data.queries)),
        "1-112": range(half),
        "113-225": range(half, len(data.queries)),
    }
    rows = {
        (name, label): per_query(run, data, q)
        for label, q in splits.items()
        for name, run in runs.items()
    }
    for (name, label), r in rows.items():
        m = r.mean(axis=0)
        print(f"| {name} | {label} ({len(r)}) | {m[0]:.4f} | {m[1]:.4f} | {m[2]:.4f} |")
    print(
        "\nhybrid minus hybrid without PRF, per query, nDCG@10:\n\n"
        "| queries | mean gain | wins/losses/ties |\n| --- | --- | --- |"
    )
    for label in splits:
        gain = rows["hybrid", label][:, 0] - rows["hybrid, no PRF", label][:, 0]
        print(f"| {label} | {paired(gain)} |")
    if book is not None:
        book_recall(book, embedder)


if __name__ == "__main__":
    main()
