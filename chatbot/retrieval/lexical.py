"""Okapi BM25 over postings, and the RM3 query expansion that feedback uses."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from chatbot.retrieval.analysis import analyze, query_terms
from chatbot.retrieval.ranking import Hit, top_hits

# Robertson's standard BM25 parameters; bench/README.md shows why they were kept.
BM25_K1 = 1.2
BM25_B = 0.75


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
        return top_hits(candidates, scores[candidates], k)

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
