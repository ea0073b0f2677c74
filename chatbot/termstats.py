"""How often the book uses each term: rare question terms matter, terms it never uses warn."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from chatbot.chunking import search_text
from chatbot.retrieval.analysis import analyze
from chatbot.search import PassageRef


@dataclass(frozen=True, slots=True)
class TermStats:
    """Document frequencies of analysed terms over the indexed passages."""

    df: dict[str, int]
    passages: int

    def idf(self, term: str) -> float:
        """BM25's idf, positive for every term; an unseen term weighs the most."""
        n = self.df.get(term, 0)
        return math.log(1.0 + (self.passages - n + 0.5) / (n + 0.5))


def term_stats_build(texts: Iterable[str]) -> TermStats:
    """Count, per analysed term, the passages that use it."""
    df: Counter[str] = Counter()
    count = 0
    for text in texts:
        df.update(set(analyze(text)))
        count += 1
    return TermStats(dict(df), count)


_lock = threading.Lock()
_cache: dict[tuple[int, int], TermStats] = {}


def corpus_term_stats(*, version: int, passages: Sequence[PassageRef]) -> TermStats:
    """One TermStats per corpus version, built on first use from the indexed texts, then shared."""
    key = (version, len(passages))
    stats = _cache.get(key)
    if stats is None:
        with _lock:
            stats = _cache.get(key)
            if stats is None:
                stats = term_stats_build(search_text(p.heading_path, p.text) for p in passages)
                _cache.clear()
                _cache[key] = stats
    return stats
