"""A passage's answerable sentences, each with the one before it and where it stands."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chatbot.search import Result

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_FENCE = re.compile(r"```.*?```", re.S)
# A sentence that needs the one before it to make sense.
_POINTS_BACK = re.compile(
    r"^(?:it|its|this|these|that|those|they|their|them|such|both|the latter|the former|"
    r"here|there|then|thus|hence|therefore|otherwise|instead|likewise|similarly|"
    r"for (?:exactly )?(?:this|that) reason|in (?:this|that) case|as a result)\b"
    r"|\bfor (?:exactly )?(?:this|that) reason\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A prose sentence of a retrieved passage, with where it stands."""

    text: str
    result: Result
    rank: int
    index: int
    previous: str | None

    @property
    def order(self) -> tuple[int, int]:
        return (self.result.position, self.index)


def points_back(text: str) -> bool:
    """Whether the sentence opens by referring to what came before it."""
    return bool(_POINTS_BACK.search(text))


def prose_sentences(text: str) -> list[tuple[int, str, str | None]]:
    """(index, sentence, the sentence before it) for a passage's answerable sentences.

    Headings, code and list markers are not answers; a question in the text restates what
    is asked and answers nothing.
    """
    prose = _FENCE.sub(" ", text)
    lines = [
        re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip()
        for line in prose.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "|"))
    ]
    found = []
    previous = None
    for i, raw in enumerate(_SENTENCE_END.split(" ".join(lines))):
        sentence = raw.strip()
        if len(sentence.split()) >= 4 and not sentence.endswith("?"):
            found.append((i, sentence, previous))
        previous = sentence
    return found


def split_sentences(results: Sequence[Result]) -> list[Sentence]:
    """The answerable sentences of the passages, in rank order then passage order."""
    return [
        Sentence(sentence, result, rank, i, previous)
        for rank, result in enumerate(results)
        for i, sentence, previous in prose_sentences(result.passage.text)
    ]
