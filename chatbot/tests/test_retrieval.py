"""Retrieval core: analysis, BM25, dense cosine, RRF, the real embedder and the fallbacks."""

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from chatbot import embeddings
from chatbot.embeddings import (
    DIMENSION,
    MODEL_SHA256,
    Embedder,
    ModelIntegrityError,
    get_embedder,
    packaged_model,
)
from chatbot.retrieval import (
    DEFAULT_FEEDBACK,
    DenseIndex,
    Feedback,
    Hit,
    HybridIndex,
    LexicalIndex,
    analyze,
    reciprocal_rank_fusion,
)

CORPUS = [
    "The robot keeps its balance with an inertial measurement unit in the torso.",
    "Cameras and LiDAR build a map of the room.",
    "A PID controller tunes proportional, integral and derivative gains.",
    "Grippers pick up objects; the hand closes around the cup.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


class FakeEmbedder:
    """Maps each known text to a fixed vector, so fusion can be tested by hand."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32)


class BrokenEmbedder:
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("onnxruntime exploded")


def docs(hits: list[Hit]) -> list[int]:
    return [h.doc for h in hits]


def test_analyze_drops_stopwords_and_stems() -> None:
    assert analyze("Balancing the robots, and the robot's BALANCE!") == [
        "balanc",
        "robot",
        "robot",
        "balanc",
    ]
    assert analyze("what is it that they do") == []


def test_stemming_lets_balancing_find_balance() -> None:
    hits = LexicalIndex(CORPUS).search("balancing", 10)
    assert docs(hits) == [0]


def test_bm25_ranks_the_right_document_first() -> None:
    index = LexicalIndex(CORPUS)
    assert docs(index.search("How do I tune the gains of a PID controller?", 3))[0] == 2
    assert docs(index.search("map a room with lidar", 3))[0] == 1
    assert docs(index.search("how does the hand grip a cup", 3))[0] == 3


def test_bm25_is_or_and_scores_only_matching_documents() -> None:
    index = LexicalIndex(CORPUS)
    hits = index.search("cameras gripper zeppelin", 10)
    assert sorted(docs(hits)) == [1, 3]
    assert index.search("zeppelin", 10) == []
    assert index.search("the of and", 10) == []


def test_bm25_score_matches_the_okapi_formula() -> None:
    texts = ["apple apple banana", "banana cherry", "cherry date elderberry fig"]
    k1, b = 1.2, 0.75
    index = LexicalIndex(texts, k1=k1, b=b)
    (hit,) = index.search("apple", 3)
    length, mean, n, df, tf = 3, 3.0, 3, 1, 2
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    expected = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / mean))
    assert hit.doc == 0
    assert hit.score == pytest.approx(expected, rel=1e-6)
    # A repeated query term counts once per occurrence (Okapi with a large k3).
    assert index.search("apple apple", 1)[0].score == pytest.approx(2 * expected, rel=1e-6)


def test_bm25_prefers_rarer_terms_and_respects_k() -> None:
    texts = ["common rare", "common", "common", "common other"]
    index = LexicalIndex(texts)
    assert docs(index.search("common rare", 2)) == [0, 1]
    assert len(index.search("common", 2)) == 2


def test_weighted_bm25_scales_each_term_by_its_weight() -> None:
    texts = ["apple apple banana", "banana cherry", "cherry date elderberry fig"]
    index = LexicalIndex(texts)
    apple, cherry = analyze("apple cherry")
    (only_apple,) = index.search("apple", 1)
    assert index.search_weighted({apple: 1.0}, 3) == index.search("apple", 3)
    assert index.search_weighted({apple: 0.5}, 1)[0].score == pytest.approx(only_apple.score / 2)
    # Doc 1 outranks doc 2 on "cherry" (shorter); a heavy "apple" puts doc 0 first.
    assert docs(index.search_weighted({cherry: 1.0, apple: 3.0}, 3)) == [0, 1, 2]
    assert docs(index.search_weighted({cherry: 1.0, apple: 0.01}, 3)) == [1, 2, 0]


def test_rm3_expansion_by_hand() -> None:
    index = LexicalIndex(["apple banana banana", "banana cherry", "date"])
    apple, banana, cherry = analyze("apple banana cherry")
    # Feedback model, the mean of tf / length over docs 0 and 1: banana (2/3 + 1/2) / 2 = 7/12,
    # cherry 1/4, apple 1/6. Its top two, renormalised: banana 0.7, cherry 0.3.
    weights = index.expand("apple", [0, 1], terms=2, query_weight=0.4)
    assert weights == pytest.approx({apple: 0.4, banana: 0.6 * 0.7, cherry: 0.6 * 0.3})
    # A query term that is also a feedback term adds up; the weights stay a distribution.
    weights = index.expand("banana", [0, 1], terms=3, query_weight=0.5)
    assert weights == pytest.approx({banana: 0.5 + 0.5 * 7 / 12, cherry: 0.125, apple: 0.5 / 6})
    assert sum(weights.values()) == pytest.approx(1.0)


def test_rm3_without_feedback_or_query_terms() -> None:
    index = LexicalIndex(["apple banana banana", "banana cherry", "date"])
    apple, banana, cherry = analyze("apple banana cherry")
    assert index.expand("apple apple banana", [], terms=5, query_weight=0.3) == pytest.approx(
        {apple: 2 / 3, banana: 1 / 3}
    )
    assert index.expand("apple", [0, 1], terms=0, query_weight=0.3) == {apple: 1.0}
    # A question of stop words alone is answered by the feedback model alone.
    assert index.expand("what is it", [1], terms=5, query_weight=0.3) == pytest.approx(
        {banana: 0.5, cherry: 0.5}
    )


def test_rocchio_moves_the_query_toward_the_feedback_rows() -> None:
    index = DenseIndex(np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]], dtype=np.float32))
    query = np.array([1.0, 0.0], dtype=np.float32)
    assert index.rocchio(query, [1], 1.0) == pytest.approx([math.sqrt(0.5), math.sqrt(0.5)])
    # Rows are unit length before they are averaged: mean of (0, 1) and (0.707, 0.707).
    moved = np.array([1.0, 0.0]) + 0.5 * np.array([math.sqrt(0.5) / 2, (1 + math.sqrt(0.5)) / 2])
    assert index.rocchio(query, [1, 2], 0.5) == pytest.approx(moved / np.linalg.norm(moved))
    assert index.rocchio(query, [], 1.0) is query


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


def test_dense_index_is_cosine() -> None:
    matrix = np.array([[1.0, 0.0], [0.0, 5.0], [3.0, 3.0]], dtype=np.float32)
    hits = DenseIndex(matrix).search(np.array([0.0, 1.0], dtype=np.float32), 3)
    assert docs(hits) == [1, 2, 0]
    assert [h.score for h in hits] == pytest.approx([1.0, math.sqrt(0.5), 0.0])


def test_embedder_returns_unit_float32_vectors(embedder: Embedder) -> None:
    vectors = embedder.embed(["a robot", "balance on one leg while carrying a heavy box", ""])
    assert vectors.shape == (3, DIMENSION)
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert embedder.embed([]).shape == (0, DIMENSION)


def test_batch_padding_does_not_change_vectors(embedder: Embedder) -> None:
    texts = ["short", "a much longer sentence that forces the batch to be padded " * 3]
    single = np.vstack([embedder.embed([t]) for t in texts])
    assert embedder.embed(texts) == pytest.approx(single, abs=1e-5)


def test_embedder_ranks_a_paraphrase_above_an_unrelated_text(embedder: Embedder) -> None:
    query, paraphrase, unrelated = embedder.embed(
        [
            "How does a humanoid robot stay upright?",
            "A biped keeps its balance so that it does not fall over.",
            "The recipe needs two cups of flour and an egg.",
        ]
    )
    assert query @ paraphrase > query @ unrelated + 0.2


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    data = bytearray(packaged_model())
    data[len(data) // 2] ^= 0xFF
    tampered = tmp_path / "model.onnx"
    tampered.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match=MODEL_SHA256):
        Embedder(model_path=tampered)


def test_get_embedder_loads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_embedders", {})
    first = get_embedder()
    assert isinstance(first, Embedder)
    assert get_embedder() is first


def test_get_embedder_failure_warns_once_and_returns_none(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embeddings, "_embedders", {})
    monkeypatch.setattr(embeddings, "packaged_model", lambda: b"not a model")
    with caplog.at_level(logging.WARNING, logger="chatbot.retrieval"):
        assert get_embedder() is None
        assert get_embedder() is None
    warnings = [r for r in caplog.records if r.name == "chatbot.retrieval"]
    assert len(warnings) == 1
    assert "lexical" in warnings[0].getMessage()


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
    with caplog.at_level(logging.WARNING, logger="chatbot.retrieval"):
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
