"""The process-wide search index over the stored passages, rebuilt when the corpus changes."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from django.conf import settings

from chatbot.chunking import search_text
from chatbot.corpus_version import corpus_version_get
from chatbot.embeddings import DIMENSION, MODEL_ID, Embedder, get_embedder, text_prefix
from chatbot.models import Passage
from chatbot.retrieval.hybrid import HybridIndex
from core.metrics import metrics_index_size, metrics_retrieval

logger = logging.getLogger(__name__)

SNIPPET_CHARS = 240
# What search reads of a query or question: embedding costs grow with its tokens (about five
# times as much at 256, the model's limit, as at 64), and the longest question of the gold and
# held-out sets has 40.
MAX_QUERY_TOKENS = 64


@dataclass(frozen=True, slots=True)
class PassageRef:
    """What an answer needs of a passage, held in memory with the index."""

    id: int
    file: str
    heading_path: tuple[str, ...]
    anchor: str
    text: str


@dataclass(frozen=True, slots=True)
class Result:
    passage: PassageRef
    score: float
    # Position in book order: extractive answers keep their sentences in this order.
    position: int


@dataclass(frozen=True, slots=True)
class Corpus:
    version: int
    passages: list[PassageRef]
    index: HybridIndex
    embedder: Embedder | None

    def search(self, query: str, k: int) -> list[Result]:
        started = time.perf_counter()
        hits = self.index.search(query_bounded(query), k)
        metrics_retrieval(seconds=time.perf_counter() - started)
        return [Result(self.passages[hit.doc], hit.score, hit.doc) for hit in hits]


def query_bounded(query: str) -> str:
    """The start of a query that search reads, so a long one costs no more than a question."""
    return text_prefix(query, MAX_QUERY_TOKENS)


def search_embedder() -> Embedder | None:
    """The configured embedding model, or None when it cannot load."""
    path = settings.EMBEDDING_MODEL_PATH
    return get_embedder(Path(path) if path else None)


def _vectors(rows: list[dict], embedder: Embedder | None) -> np.ndarray | None:
    """The stored matrix in book order, or None (and why, in the log) for lexical search."""
    if embedder is None:
        return None
    if not rows:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    if any(row["embedding_model"] != MODEL_ID for row in rows):
        logger.warning(
            "some passages lack embeddings of %s; retrieval is lexical only until the book "
            "is re-ingested (manage.py ingest_book)",
            MODEL_ID,
        )
        return None
    return np.stack([np.frombuffer(bytes(row["embedding"]), dtype="<f4") for row in rows])


def corpus_build(*, version: int) -> Corpus:
    """Read every passage once and index it; about 2.5 s per 10,000 passages (bench/README.md)."""
    rows = list(
        Passage.objects.order_by("file__path", "ordinal").values(
            "id", "file__path", "heading_path", "anchor", "text", "embedding", "embedding_model"
        )
    )
    passages = [
        PassageRef(r["id"], r["file__path"], tuple(r["heading_path"]), r["anchor"], r["text"])
        for r in rows
    ]
    embedder = search_embedder()
    vectors = _vectors(rows, embedder)
    index = HybridIndex(
        [search_text(p.heading_path, p.text) for p in passages],
        vectors,
        embedder if vectors is not None else None,
    )
    logger.info("search index v%d: %d passages, %s", version, len(passages), index.mode)
    metrics_index_size(passages=len(passages))
    return Corpus(version, passages, index, embedder if vectors is not None else None)


class _Holder:
    """One Corpus per process; the version is read at most every CHAT_CORPUS_CHECK_SECONDS."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.corpus: Corpus | None = None
        self.checked_at = 0.0

    def get(self) -> Corpus:
        corpus = self.corpus
        now = time.monotonic()
        if corpus is not None and now - self.checked_at < settings.CHAT_CORPUS_CHECK_SECONDS:
            return corpus
        version = corpus_version_get()
        if corpus is not None and corpus.version == version:
            self.checked_at = now
            return corpus
        # One thread rebuilds; the others wait for it rather than building copies.
        with self.lock:
            # Read again: another thread may have indexed a newer version while this one
            # waited, and the version read above would rebuild it as an older one.
            version = corpus_version_get()
            if self.corpus is None or self.corpus.version != version:
                self.corpus = corpus_build(version=version)
            self.checked_at = now
            return self.corpus


_holder = _Holder()


def corpus_current() -> Corpus:
    """The index of the passages as of the last committed ingest (within the check interval)."""
    return _holder.get()


def retrieval_mode() -> Literal["hybrid", "lexical"]:
    return corpus_current().index.mode


def passage_snippet(text: str) -> str:
    """The start of a passage's prose, without its Markdown heading lines, cut at a word."""
    body = " ".join(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
    if len(body) <= SNIPPET_CHARS:
        return body
    return body[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def source_data(result: Result) -> dict:
    """A passage as search results and answer sources show it in the API."""
    passage = result.passage
    return {
        "passage_id": passage.id,
        "score": round(result.score, 6),
        "heading_path": list(passage.heading_path),
        "file": passage.file,
        "anchor": passage.anchor,
        "snippet": passage_snippet(passage.text),
    }


def passages_search(*, query: str, k: int) -> tuple[list[Result], str]:
    """The k best passages for ``query`` and the mode ("hybrid"/"lexical") that found them."""
    # Imported here: the reranker builds on this module's Corpus and Result.
    from chatbot.rerank import corpus_search

    corpus = corpus_current()
    return corpus_search(corpus, query, k), corpus.index.mode
