"""Text analysis, BM25 scoring and RM3 query expansion."""

import math

import pytest

from chatbot.retrieval.analysis import analyze
from chatbot.retrieval.lexical import LexicalIndex
from chatbot.tests.retrieval_support import CORPUS, docs


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
