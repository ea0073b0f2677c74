"""Reciprocal-rank fusion, hybrid search with pseudo-relevance feedback, and its fallbacks."""

import logging
from collections.abc import Sequence

import numpy as np
import pytest

from chatbot.embeddings import DIMENSION, Embedder
from chatbot.retrieval.hybrid import (
    DEFAULT_FEEDBACK,
    Feedback,
    HybridIndex,
    reciprocal_rank_fusion,
)
from chatbot.retrieval.lexical import LexicalIndex
from chatbot.retrieval.ranking import Hit
from chatbot.tests.retrieval_support import CORPUS, BrokenEmbedder, FakeEmbedder, docs


def test_rrf_scores_by_hand() -> None:
    lexical = [Hit(7, 9.0), Hit(3, 5.0), Hit(1, 1.0)]
    dense = [Hit(3, 0.9), Hit(5, 0.8)]
    fused = reciprocal_rank_fusion([lexical, dense], 10, rrf_k=60)
    expected = {7: 1 / 61, 3: 1 / 62 + 1 / 61, 1: 1 / 63, 5: 1 / 62}
    assert docs(fused) == [3, 7, 5, 1]
    assert {h.doc: h.score for h in fused} == pytest.approx(expected)
    assert docs(reciprocal_rank_fusion([lexical, dense], 2)) == [3, 7]


def test_rrf_weights_shift_the_order() -> None:
    first = [Hit(1, 0.0), Hit(2, 0.0)]
    second = [Hit(2, 0.0), Hit(1, 0.0)]
    assert docs(reciprocal_rank_fusion([first, second], 2, weights=[2.0, 1.0])) == [1, 2]
    assert docs(reciprocal_rank_fusion([first, second], 2, weights=[1.0, 2.0])) == [2, 1]
    fused = reciprocal_rank_fusion([first], 1, rrf_k=10, weights=[3.0])
    assert fused[0].score == pytest.approx(3 / 11)


def test_hybrid_without_embedder_is_lexical() -> None:
    matrix = np.eye(len(CORPUS), dtype=np.float32)
    for index in (HybridIndex(CORPUS), HybridIndex(CORPUS, matrix, None)):
        assert index.mode == "lexical"
        assert index.search("balancing robot", 2) == LexicalIndex(CORPUS).search(
            "balancing robot", 2
        )


def test_hybrid_fuses_lexical_and_dense_ranks() -> None:
    matrix = np.eye(len(CORPUS), dtype=np.float32)
    # Dense sees the query as closest to doc 3, then doc 0; lexical only matches doc 0.
    query = "balance"
    fake = FakeEmbedder({query: np.array([0.6, 0.0, 0.0, 0.8])})
    index = HybridIndex(CORPUS, matrix, fake)
    assert index.mode == "hybrid"
    hits = index.search(query, 4)
    assert docs(hits) == [0, 3, 1, 2]
    assert hits[0].score == pytest.approx(1 / 61 + 1 / 62)


PRF_CORPUS = [
    "boundary layer transition and flow separation",
    "boundary layer heat transfer in hypersonic flow",
    "a recipe with flour and an egg",
    "the robot gripper closes on the cup",
    "flow separation behind the wing",
]


def test_feedback_reaches_a_passage_that_shares_no_query_word() -> None:
    # Dense puts docs 0 and 1 first and sees nothing in the rest; lexically only they match.
    matrix = np.eye(len(PRF_CORPUS), dtype=np.float32)
    query = "boundary layer"
    fake = FakeEmbedder({query: np.array([0.8, 0.6, 0.0, 0.0, 0.0])})
    plain = HybridIndex(PRF_CORPUS, matrix, fake, feedback=None)
    assert docs(plain.search(query, 3)) == [0, 1, 2]
    # Feedback from docs 0 and 1 adds "flow" and "separation" to the query, and doc 4 has both.
    prf = Feedback(docs=2, terms=4, query_weight=0.3, beta=1.0)
    index = HybridIndex(PRF_CORPUS, matrix, fake, feedback=prf)
    assert docs(index.search(query, 3)) == [0, 1, 4]


def test_default_feedback_takes_the_first_fused_passages(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = np.eye(len(PRF_CORPUS), dtype=np.float32)
    query = "boundary layer"
    vector = np.array([0.8, 0.6, 0.0, 0.0, 0.0])
    index = HybridIndex(PRF_CORPUS, matrix, FakeEmbedder({query: vector}))
    single = HybridIndex(PRF_CORPUS, matrix, FakeEmbedder({query: vector}), feedback=None)
    top = docs(single.search(query, 100))[: DEFAULT_FEEDBACK.docs]
    calls = []
    expand, rocchio = index.lexical.expand, index.dense.rocchio

    def spy_expand(query: str, feedback: Sequence[int], **kwargs: float) -> dict[str, float]:
        calls.append(("expand", list(feedback), kwargs))
        return expand(query, feedback, **kwargs)

    def spy_rocchio(vector: np.ndarray, feedback: Sequence[int], beta: float) -> np.ndarray:
        calls.append(("rocchio", list(feedback), {"beta": beta}))
        return rocchio(vector, feedback, beta)

    monkeypatch.setattr(index.lexical, "expand", spy_expand)
    monkeypatch.setattr(index.dense, "rocchio", spy_rocchio)
    index.search(query, 2)
    assert calls == [
        (
            "expand",
            top,
            {"terms": DEFAULT_FEEDBACK.terms, "query_weight": DEFAULT_FEEDBACK.query_weight},
        ),
        ("rocchio", top, {"beta": DEFAULT_FEEDBACK.beta}),
    ]


def test_rocchio_second_pass_changes_the_dense_list() -> None:
    # No lexical match at all: the first pass is dense alone, doc 2, then doc 0 above doc 1.
    matrix = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.6, 0.8, 0.0]], dtype=np.float32)
    query = "zeppelin"
    fake = FakeEmbedder({query: np.array([0.6, 0.5, 0.62])})
    texts = ["alpha", "beta", "gamma"]
    assert docs(HybridIndex(texts, matrix, fake, feedback=None).search(query, 3)) == [2, 0, 1]
    # Moving the query toward doc 2 (the only feedback passage) lifts doc 1 above doc 0.
    prf = Feedback(docs=1, terms=0, query_weight=1.0, beta=2.0)
    assert docs(HybridIndex(texts, matrix, fake, feedback=prf).search(query, 3)) == [2, 1, 0]


def test_hybrid_falls_back_when_query_embedding_fails(caplog: pytest.LogCaptureFixture) -> None:
    matrix = np.eye(len(CORPUS), dtype=np.float32)
    index = HybridIndex(CORPUS, matrix, BrokenEmbedder())
    with caplog.at_level(logging.WARNING, logger="chatbot.retrieval.hybrid"):
        assert docs(index.search("balancing", 3)) == [0]
    assert "answering lexically" in caplog.text


def test_hybrid_rejects_misaligned_embeddings() -> None:
    with pytest.raises(ValueError, match="3 embeddings for 4 texts"):
        HybridIndex(CORPUS, np.zeros((3, DIMENSION), dtype=np.float32), FakeEmbedder({}))


def test_real_hybrid_finds_a_paraphrase_without_shared_words(embedder: Embedder) -> None:
    index = HybridIndex(CORPUS, embedder.embed(CORPUS), embedder)
    assert index.mode == "hybrid"
    assert docs(index.search("staying upright without toppling", 1)) == [0]
    assert index.lexical.search("staying upright without toppling", 1) == []
