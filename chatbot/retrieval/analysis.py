"""Text analysis shared by BM25 and answer extraction: words, stop words, Snowball stems."""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter

import snowballstemmer

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
# The distinct terms of a query that are searched for: each one costs a pass over its
# postings, and a question needs far fewer (the longest of the gold and held-out sets has 17).
MAX_QUERY_TERMS = 32
_local = threading.local()


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
