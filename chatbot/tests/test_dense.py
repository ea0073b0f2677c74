"""Dense cosine search and the Rocchio query move."""

import math

import numpy as np
import pytest

from chatbot.retrieval.dense import DenseIndex
from chatbot.tests.retrieval_support import docs


def test_dense_index_is_cosine() -> None:
    matrix = np.array([[1.0, 0.0], [0.0, 5.0], [3.0, 3.0]], dtype=np.float32)
    hits = DenseIndex(matrix).search(np.array([0.0, 1.0], dtype=np.float32), 3)
    assert docs(hits) == [1, 2, 0]
    assert [h.score for h in hits] == pytest.approx([1.0, math.sqrt(0.5), 0.0])


def test_rocchio_moves_the_query_toward_the_feedback_rows() -> None:
    index = DenseIndex(np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]], dtype=np.float32))
    query = np.array([1.0, 0.0], dtype=np.float32)
    assert index.rocchio(query, [1], 1.0) == pytest.approx([math.sqrt(0.5), math.sqrt(0.5)])
    # Rows are unit length before they are averaged: mean of (0, 1) and (0.707, 0.707).
    moved = np.array([1.0, 0.0]) + 0.5 * np.array([math.sqrt(0.5) / 2, (1 + math.sqrt(0.5)) / 2])
    assert index.rocchio(query, [1, 2], 0.5) == pytest.approx(moved / np.linalg.norm(moved))
    assert index.rocchio(query, [], 1.0) is query
