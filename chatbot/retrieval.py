"""In-memory hybrid search (BM25 + dense cosine, fused by reciprocal rank) over passage texts."""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import snowballstemmer

logger = logging.getLogger("chatbot.retrieval")

# Robertson's standard BM25 parameters; bench/README.md shows why they were kept.
BM25_K1 = 1.2
BM25_B = 0.75
# Cormack et al.'s RRF constant: damps the head of each list so neither retriever dominates.
RRF_K = 60
# How deep each retriever's list goes into the fusion.
FUSION_DEPTH = 100

# NLTK's English list: Snowball's stop words as this tokeniser splits them (don't -> don, t).
_STOPWORD_TEXT = """
a about above after again against ain all am an and any are aren as at be because been before
being below between both but by can couldn d did didn do does doesn doing don down during each
few for from further had hadn has hasn have haven having he her here hers herself him himself
his how i if in into is isn it its itself just ll m ma me mightn more most mustn my myself
needn no nor not now o of off on once only or other our ours ourselves out over own re s same
shan she should shouldn so some such t than that the their theirs them themselves then there
these they this those through to too under until up ve very was wasn we were weren what when
where which while who whom why will with won wouldn y you your yours yourself yourselves
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_TOKEN = re.compile(r"[^\W_]+")
_local = threading.local()


class TextEmbedder(Protocol):
    """What search needs from an embedder (chatbot.embeddings.Embedder in production)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        ...


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage position in the index and its score (higher is better)."""

    doc: int
    score: float


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Snowball-stem one word; cached because stemming dominates indexing time."""
    # Snowball stemmer objects keep per-call state, so each thread gets its own.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def analyze(text: str) -> list[str]:
    """Index terms: lower-cased words minus stop words, Snowball-stemmed (balancing -> balanc)."""
    return [_stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> list[Hit]:
    """The k best (id, score) pairs, best first, ties broken by position for stable output."""
    if len(ids) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))
    return [Hit(int(ids[i]), float(scores[i])) for i in order]


class LexicalIndex:
    """Okapi BM25 over postings; only documents that share a query term are scored (OR)."""

    def __init__(self, texts: Sequence[str], *, k1: float = BM25_K1, b: float = BM25_B) -> None:
        counts = [Counter(analyze(text)) for text in texts]
        self.size = len(texts)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        mean = float(lengths.mean()) if self.size and lengths.any() else 1.0
        norm = k1 * (1.0 - b + b * lengths / mean)
        docs: defaultdict[str, list[int]] = defaultdict(list)
        freqs: defaultdict[str, list[int]] = defaultdict(list)
        for doc, count in enumerate(counts):
            for term, tf in count.items():
                docs[term].append(doc)
                freqs[term].append(tf)
        # Each posting stores its whole BM25 contribution, so a query is a few scatter-adds.
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, doc_list in docs.items():
            ids = np.array(doc_list, dtype=np.int32)
            tf = np.array(freqs[term], dtype=np.float32)
            idf = math.log(1.0 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
            weight = idf * tf * (k1 + 1.0) / (tf + norm[ids])
            self._postings[term] = (ids, weight.astype(np.float32))

    def search(self, query: str, k: int) -> list[Hit]:
        """The k best BM25 matches; empty when no query term is in the index."""
        matched = [
            (self._postings[term], qtf)
            for term, qtf in Counter(analyze(query)).items()
            if term in self._postings
        ]
        if not matched or k <= 0:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        for (ids, weight), qtf in matched:
            # Doc ids are unique within one posting list, so fancy-index += is exact.
            scores[ids] += qtf * weight
        candidates = np.unique(np.concatenate([ids for (ids, _), _ in matched]))
        return _top(candidates, scores[candidates], k)


class DenseIndex:
    """Cosine similarity as one matrix-vector product over unit-length rows."""

    def __init__(self, matrix: np.ndarray) -> None:
        if matrix.ndim != 2:
            raise ValueError(f"embedding matrix must be 2-d, got shape {matrix.shape}")
        rows = np.ascontiguousarray(matrix, dtype=np.float32)
        # Normalising here keeps scores cosines even if stored vectors were not unit length.
        self._matrix = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        self.size = len(rows)

    def search(self, vector: np.ndarray, k: int) -> list[Hit]:
        """The k rows most similar to ``vector`` (expected unit length)."""
        if k <= 0 or self.size == 0:
            return []
        # einsum, not @: for one matrix-vector product OpenBLAS's thread wake-ups cost more
        # than they save on a busy 2-core server (p95 8 ms against 0.8 ms at 10,000 rows).
        scores = np.einsum("ij,j->i", self._matrix, vector.astype(np.float32, copy=False))
        return _top(np.arange(self.size), scores, k)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hit]],
    k: int,
    *,
    rrf_k: float = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[Hit]:
    """Fuse ranked lists by sum(weight / (rrf_k + rank)), ranks from 1; scores are ignored."""
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: defaultdict[int, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.doc] += weight / (rrf_k + rank)
    best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
    return [Hit(doc, score) for doc, score in best]


class HybridIndex:
    """BM25 and dense search fused by RRF; lexical-only when no embedder or vectors are given.

    The seam for the Django layer: build one from the passages' texts in a fixed order and,
    if available, their stored embeddings (same order, same MODEL_ID) and ``get_embedder()``;
    ``Hit.doc`` is the position in that order.
    """

    def __init__(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        embedder: TextEmbedder | None = None,
        *,
        rrf_k: float = RRF_K,
        weights: tuple[float, float] = (1.0, 1.0),
        depth: int = FUSION_DEPTH,
    ) -> None:
        self.lexical = LexicalIndex(texts)
        self.dense: DenseIndex | None = None
        self._embedder = embedder
        if embeddings is not None and embedder is not None:
            if len(embeddings) != len(texts):
                raise ValueError(f"{len(embeddings)} embeddings for {len(texts)} texts")
            self.dense = DenseIndex(embeddings)
        self._rrf_k = rrf_k
        self._weights = weights
        self._depth = depth

    @property
    def mode(self) -> Literal["hybrid", "lexical"]:
        """Which retrievers answer, for logs and the API to report."""
        return "hybrid" if self.dense is not None else "lexical"

    def search(self, query: str, k: int) -> list[Hit]:
        """The k best passages for ``query``, best first."""
        depth = max(k, self._depth)
        lexical = self.lexical.search(query, depth)
        if self.dense is None or self._embedder is None:
            return lexical[:k]
        try:
            vector = self._embedder.embed([query])[0]
        except Exception:
            # A broken model must not take search down with it; BM25 still answers.
            logger.warning("query embedding failed; answering lexically", exc_info=True)
            return lexical[:k]
        dense = self.dense.search(vector, depth)
        return reciprocal_rank_fusion([lexical, dense], k, rrf_k=self._rrf_k, weights=self._weights)
