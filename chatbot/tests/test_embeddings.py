"""The real sentence embedder: its vectors, its integrity check and its fallback."""

import logging
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
    with caplog.at_level(logging.WARNING, logger="chatbot.embeddings"):
        assert get_embedder() is None
        assert get_embedder() is None
    warnings = [r for r in caplog.records if r.name == "chatbot.embeddings"]
    assert len(warnings) == 1
    assert "lexical" in warnings[0].getMessage()
