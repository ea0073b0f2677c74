"""What every retriever returns: scored passage positions, best first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage position in the index and its score (higher is better)."""

    doc: int
    score: float


def top_hits(ids: np.ndarray, scores: np.ndarray, k: int) -> list[Hit]:
    """The k best (id, score) pairs, best first, ties broken by position for stable output."""
    if len(ids) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))
    return [Hit(int(ids[i]), float(scores[i])) for i in order]
