"""In-memory hybrid search (BM25 + dense cosine, fused by reciprocal rank) over passage texts.

Hybrid search runs twice: the first fused list's top passages are taken as relevant
(pseudo-relevance feedback) to expand the BM25 query (RM3) and move the query vector (Rocchio),
and the second pass is what is returned. bench/README.md has the figures and the tuning.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
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
# The distinct terms of a query that are searched for: each one costs a pass over its
# postings, and a question needs far fewer (the longest of the gold and held-out sets has 17).
MAX_QUERY_TERMS = 32

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


@dataclass(frozen=True, slots=True)
class Feedback:
    """Pseudo-relevance feedback settings, tuned on Cranfield queries 1-112 (bench/README.md).

    The top ``docs`` passages of the first fused list stand in for relevant ones. RM3 keeps
    the ``terms`` most likely terms of their mean term distribution and mixes them with the
    query's, the query weighing ``query_weight``; Rocchio adds ``beta`` times their mean vector
    to the query vector. ``terms=0`` or ``beta=0`` leaves that side's query as it was.
    """

    docs: int = 7
    terms: int = 20
    query_weight: float = 0.3
    beta: float = 1.0


DEFAULT_FEEDBACK = Feedback()


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


def query_terms(query: str) -> Counter[str]:
    """The query's analysed terms with their counts, only its first MAX_QUERY_TERMS distinct."""
    counts: Counter[str] = Counter()
    for term in analyze(query):
        if term in counts or len(counts) < MAX_QUERY_TERMS:
            counts[term] += 1
    return counts


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
        # Forward index for RM3: document d's terms are _doc_terms[_offsets[d]:_offsets[d + 1]]
        # (ids into _terms), each with its share tf / length of the document's terms.
        self._terms = list(docs)
        term_id = {term: i for i, term in enumerate(self._terms)}
        self._offsets = np.cumsum([0, *(len(c) for c in counts)], dtype=np.int64)
        self._doc_terms = np.array([term_id[t] for c in counts for t in c], dtype=np.int32)
        self._doc_shares = np.array(
            [tf / length for c, length in zip(counts, lengths, strict=True) for tf in c.values()],
            dtype=np.float32,
        )

    def search(self, query: str, k: int) -> list[Hit]:
        """The k best BM25 matches; empty when no query term is in the index."""
        return self.search_weighted(query_terms(query), k)

    def search_weighted(self, weights: Mapping[str, float], k: int) -> list[Hit]:
        """BM25 with a weight per analysed term in place of its count in the query."""
        matched = [(self._postings[t], w) for t, w in weights.items() if t in self._postings]
        if not matched or k <= 0:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        seen = np.zeros(self.size, dtype=bool)
        for (ids, weight), query_weight in matched:
            # Doc ids are unique within one posting list, so fancy-index += is exact.
            scores[ids] += query_weight * weight
            seen[ids] = True
        candidates = np.flatnonzero(seen)
        return _top(candidates, scores[candidates], k)

    def expand(
        self, query: str, feedback: Sequence[int], *, terms: int, query_weight: float
    ) -> dict[str, float]:
        """RM3 query weights: the query's term distribution mixed with the feedback documents'.

        The feedback model is the mean over ``feedback`` of each document's tf / length, cut to
        its ``terms`` most likely terms and renormalised; equal document weights, because the
        fused scores that rank them are not probabilities. Words the relevant passages share
        but the question does not use get a weight this way.
        """
        counts = query_terms(query)
        total = sum(counts.values())
        if not feedback or terms <= 0:
            return {t: n / total for t, n in counts.items()} if total else {}
        slices = [slice(self._offsets[d], self._offsets[d + 1]) for d in feedback]
        ids = np.concatenate([self._doc_terms[s] for s in slices])
        shares = np.concatenate([self._doc_shares[s] for s in slices])
        unique, inverse = np.unique(ids, return_inverse=True)
        model = np.bincount(inverse, weights=shares).astype(np.float32)
        keep = np.lexsort((unique, -model))[:terms]
        fed = model[keep] / model[keep].sum()
        # Without analysable query terms (all stop words) the feedback model is the query.
        mix = query_weight if total else 0.0
        expanded: defaultdict[str, float] = defaultdict(float)
        for term, n in counts.items():
            expanded[term] += mix * n / total
        for i, p in zip(unique[keep], fed, strict=True):
            expanded[self._terms[i]] += (1.0 - mix) * float(p)
        return dict(expanded)


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

    def rocchio(self, vector: np.ndarray, feedback: Sequence[int], beta: float) -> np.ndarray:
        """Unit-length ``vector + beta * mean(feedback rows)``: the query moved toward them."""
        if not feedback:
            return vector
        moved = vector + beta * self._matrix[list(feedback)].mean(axis=0)
        return (moved / max(float(np.linalg.norm(moved)), 1e-12)).astype(np.float32)


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
    """BM25 and dense search fused by RRF, then again after pseudo-relevance feedback.

    Lexical-only (plain BM25, no feedback) when no embedder or vectors are given;
    ``feedback=None`` gives the single fused pass.

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
        feedback: Feedback | None = DEFAULT_FEEDBACK,
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
        self._feedback = feedback

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
        prf = self._feedback
        first = self._fuse(lexical, dense, max(k, prf.docs if prf else 0))
        if prf is None or prf.docs <= 0 or not first:
            return first[:k]
        # Second pass: the first pass's top passages stand in for relevance judgements.
        # Feedback from the fused list rather than from each retriever's own list: on the
        # tuning queries it scored higher (bench/README.md), the fusion's head being the more
        # precise one.
        feedback = [hit.doc for hit in first[: prf.docs]]
        weights = self.lexical.expand(
            query, feedback, terms=prf.terms, query_weight=prf.query_weight
        )
        lexical = self.lexical.search_weighted(weights, depth)
        dense = self.dense.search(self.dense.rocchio(vector, feedback, prf.beta), depth)
        return self._fuse(lexical, dense, k)

    def _fuse(self, lexical: list[Hit], dense: list[Hit], k: int) -> list[Hit]:
        return reciprocal_rank_fusion([lexical, dense], k, rrf_k=self._rrf_k, weights=self._weights)
