"""Follow-up questions read with the conversation: "And what about the hip?" says too little."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chatbot.models import Message
from chatbot.retrieval.analysis import analyze

# Words that point back at something said before: the question needs its antecedent.
_POINTERS = frozenset(
    [
        "it",
        "its",
        "it's",
        "they",
        "them",
        "their",
        "theirs",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "him",
        "her",
        "his",
        "one",
        "ones",
        "other",
        "former",
        "latter",
        "there",
        "same",
    ]
)
# Openings that continue the previous question rather than start a new subject.
_CONTINUATION = re.compile(
    r"^\s*(?:and|also|but|so|then|what about|how about|and what|and how|what else|ok|okay)\b",
    re.I,
)
_WORD = re.compile(r"[a-z']+")
# A question with this few content terms rarely names its own subject.
MIN_OWN_TERMS = 2
# Earlier questions carried into the query: the subject is seldom further back than that.
CARRIED_QUESTIONS = 2


def is_followup(question: str) -> bool:
    """Whether ``question`` leans on an earlier turn: a pointer word, a continuation, or terse."""
    words = _WORD.findall(question.lower())
    if _CONTINUATION.match(question) or any(w in _POINTERS for w in words):
        return True
    return len(analyze(question)) < MIN_OWN_TERMS


def _earlier_questions(history: Sequence[Message]) -> list[str]:
    """The reader's previous questions, newest first (answers may be refusals or off-topic)."""
    return [m.content for m in reversed(history) if m.role == Message.Role.QUESTION]


def query_contextualize(*, question: str, history: Sequence[Message]) -> str:
    """The question to retrieve and answer with: a follow-up gets its antecedents prepended.

    Deterministic and model-free: the earlier questions name the subject a pronoun stands for,
    and prepending them lets both BM25 and the embedding see it. A follow-up to a follow-up
    carries the one before too, so "who made it?" after "and its licence?" still finds MuJoCo.
    """
    if not history or not is_followup(question):
        return question
    carried: list[str] = []
    for earlier in _earlier_questions(history)[:CARRIED_QUESTIONS]:
        carried.insert(0, earlier)
        if not is_followup(earlier):
            break
    return " ".join([*carried, question]) if carried else question
