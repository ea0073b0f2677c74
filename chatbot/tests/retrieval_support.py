"""Shared pieces of the retrieval tests: a tiny corpus and embedders whose vectors are chosen."""

from collections.abc import Sequence

import numpy as np

from chatbot.retrieval.ranking import Hit

CORPUS = [
    "The robot keeps its balance with an inertial measurement unit in the torso.",
    "Cameras and LiDAR build a map of the room.",
    "A PID controller tunes proportional, integral and derivative gains.",
    "Grippers pick up objects; the hand closes around the cup.",
]


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
