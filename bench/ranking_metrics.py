"""Ranking metrics over a ranked list of document positions and their relevance grades."""

from __future__ import annotations

import math


def ndcg_at_10(ranked: list[int], rels: dict[int, int]) -> float:
    """nDCG@10 with linear gains (trec_eval's definition)."""
    dcg = sum(rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(rels.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg


def mrr_at_10(ranked: list[int], rels: dict[int, int]) -> float:
    """Reciprocal rank of the first relevant document in the top 10."""
    return next((1.0 / (i + 1) for i, d in enumerate(ranked[:10]) if d in rels), 0.0)


def recall_at(ranked: list[int], rels: dict[int, int], k: int) -> float:
    """Share of the relevant documents found in the top k."""
    return len(set(ranked[:k]) & rels.keys()) / len(rels)
