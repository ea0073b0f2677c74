"""A second look at the hybrid list: a passage ranks by its best sentence as well as as a whole.

A passage embedding averages a whole section, so a question about one of its sentences in
other words ("rolling platform" for "wheeled base") can sit at rank 4-5 behind sections that
are about the topic in general. Fusing the hybrid rank with the rank by the passage's best
sentence cosine lifts it (bench/README.md, "Answer quality"). It costs no new model: the same
MiniLM embeds the sentences, which the extractive answer needs anyway and which are cached.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from chatbot.retrieval.dense import TextEmbedder
from chatbot.retrieval.hybrid import RRF_K
from chatbot.search import Corpus, Result
from chatbot.selection import SENTENCE_CACHE, passage_vectors, query_vector

logger = logging.getLogger(__name__)

# How deep into the hybrid list the sentences are looked at.
RERANK_DEPTH = 20
# The best-sentence ranking's weight in the fusion, the hybrid rank's being 1 (tuned on the
# development set and gold.jsonl: 0.5 and 2 gave lower MRR@10).
SENTENCE_WEIGHT = 1.0


def _best_sentence_cosines(
    query: np.ndarray, results: Sequence[Result], embedder: TextEmbedder
) -> np.ndarray:
    """Per passage, the cosine of its sentence nearest the query (0 without prose)."""
    best = []
    for result in results:
        vectors = passage_vectors(embedder, result.passage.text)
        best.append(float((vectors @ query).max()) if len(vectors) else 0.0)
    return np.array(best)


def rerank(
    *, query: str, results: Sequence[Result], embedder: TextEmbedder | None, k: int
) -> list[Result]:
    """The first ``k`` of ``results`` after fusing hybrid rank with best-sentence rank.

    Scores become the fused reciprocal ranks, higher still better. Without a model the
    hybrid order stands.
    """
    if embedder is None or len(results) < 2:
        return list(results[:k])
    try:
        vector = query_vector(embedder, query)
        cosines = _best_sentence_cosines(vector, results, embedder)
    except Exception:
        logger.warning("sentence reranking failed; keeping the hybrid order", exc_info=True)
        return list(results[:k])
    by_sentence = {int(i): rank for rank, i in enumerate(np.argsort(-cosines, kind="stable"), 1)}
    fused = [
        1.0 / (RRF_K + i + 1) + SENTENCE_WEIGHT / (RRF_K + by_sentence[i])
        for i in range(len(results))
    ]
    order = sorted(range(len(results)), key=lambda i: (-fused[i], i))[:k]
    return [replace(results[i], score=fused[i]) for i in order]


def corpus_search(corpus: Corpus, query: str, k: int) -> list[Result]:
    """Hybrid search RERANK_DEPTH deep, reranked by best sentence, cut to ``k``.

    Only a corpus whose sentence vectors all fit the cache is reranked: beyond it most
    passages would be embedded cold on every query (about 0.5 s for 20), and search stays
    the hybrid list.
    """
    if corpus.embedder is None or len(corpus.passages) > SENTENCE_CACHE:
        return corpus.search(query, k)
    hits = corpus.search(query, max(k, RERANK_DEPTH))
    return rerank(query=query, results=hits, embedder=corpus.embedder, k=k)
