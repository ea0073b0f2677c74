"""Hybrid search: BM25 and dense cosine fused by reciprocal rank, with pseudo-relevance feedback.

Hybrid search runs twice: the first fused list's top passages are taken as relevant
(pseudo-relevance feedback) to expand the BM25 query (RM3) and move the query vector (Rocchio),
and the second pass is what is returned. bench/README.md has the figures and the tuning.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from chatbot.retrieval.dense import DenseIndex, TextEmbedder
from chatbot.retrieval.lexical import LexicalIndex
from chatbot.retrieval.ranking import Hit

logger = logging.getLogger(__name__)

# Cormack et al.'s RRF constant: damps the head of each list so neither retriever dominates.
RRF_K = 60
# How deep each retriever's list goes into the fusion.
FUSION_DEPTH = 100


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
