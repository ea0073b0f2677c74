"""Answers from retrieved passages: extractive offline, or an LLM told to cite by number."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from openai import OpenAI

from chatbot.model_stream import completion_texts
from chatbot.models import Message
from chatbot.refusal import refusal_signals, refuse
from chatbot.retrieval.dense import TextEmbedder
from chatbot.search import Result, source_data
from chatbot.selection import select_sentences
from chatbot.termstats import TermStats

logger = logging.getLogger(__name__)

NOT_FOUND = "I could not find this in the book."

SYSTEM_PROMPT = (
    "You answer questions about a book on physical AI and humanoid robotics. Answer only "
    "from the numbered passages below; cite each claim with the passage number in brackets, "
    "like [1] or [2]. If the passages do not contain the answer, reply exactly: "
    f'"{NOT_FOUND}" Be concise.'
)


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    sources: list[dict]
    generator: str


def answer_extractive(
    *,
    question: str,
    results: Sequence[Result],
    embedder: TextEmbedder | None,
    focus: str | None = None,
    stats: TermStats | None = None,
) -> Answer:
    """Sentences that answer each part of the question, in book order, each cited; or refusal.

    ``question`` is what retrieval used (a follow-up with its antecedents), ``focus`` what the
    reader typed last (defaults to ``question``); ``stats`` weighs terms by their rarity.
    """
    focus = focus or question
    selection = select_sentences(
        question=question, focus=focus, results=results, embedder=embedder, stats=stats
    )
    if selection is None:
        return Answer(NOT_FOUND, [], Message.Generator.EXTRACTIVE)
    signals = refusal_signals(focus=focus, selection=selection, stats=stats)
    if refuse(signals, with_model=embedder is not None):
        return Answer(NOT_FOUND, [], Message.Generator.EXTRACTIVE)
    numbers: dict[int, int] = {}
    sources = []
    parts = []
    for sentence in selection.sentences:
        pid = sentence.result.passage.id
        if pid not in numbers:
            numbers[pid] = len(numbers) + 1
            sources.append(source_data(sentence.result))
        parts.append(f"{sentence.text} [{numbers[pid]}]")
    return Answer(" ".join(parts), sources, Message.Generator.EXTRACTIVE)


def llm_enabled() -> bool:
    return bool(settings.LLM_API_KEY)


def _llm_messages(
    question: str, results: Sequence[Result], history: Sequence[Message]
) -> list[dict]:
    """The passages numbered as the sources will be, the last turns, then the question."""
    passages = "\n\n".join(
        f"[{n}] {' > '.join(r.passage.heading_path)}\n{r.passage.text}"
        for n, r in enumerate(results, start=1)
    )
    messages = [{"role": "system", "content": f"{SYSTEM_PROMPT}\n\n{passages}"}]
    for message in history:
        role = "user" if message.role == Message.Role.QUESTION else "assistant"
        messages.append({"role": role, "content": message.content})
    messages.append({"role": "user", "content": question})
    return messages


def _client() -> OpenAI:
    return _client_for(settings.LLM_API_KEY, settings.LLM_BASE_URL, settings.LLM_TIMEOUT_SECONDS)


@functools.lru_cache(maxsize=4)
def _client_for(api_key: str, base_url: str, timeout: float) -> OpenAI:
    """One client per process and configuration, shared by its threads: making one costs
    about 17 ms of CPU, which every chat answer paid; its connection pool is thread-safe."""
    # No retries: a slow or failing endpoint should cost one timeout, then the fallback.
    return OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0)


def llm_stream(
    *, question: str, results: Sequence[Result], history: Sequence[Message]
) -> Iterator[str]:
    """The model's answer as it arrives; raises on timeouts, HTTP errors and empty answers."""
    # The client's timeout bounds each read only: a model trickling tokens would never hit it.
    deadline = time.monotonic() + settings.LLM_TIMEOUT_SECONDS
    produced = False
    # Leaving the block (the end, an error, or the reader hanging up, which closes this
    # generator) closes the model's response.
    with _client().chat.completions.with_streaming_response.create(
        model=settings.LLM_MODEL,
        messages=_llm_messages(question, results, history),
        stream=True,
    ) as response:
        for text in completion_texts(response.iter_lines()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the model took over {settings.LLM_TIMEOUT_SECONDS} s")
            produced = True
            yield text
    if not produced:
        raise ValueError("the model returned an empty answer")


def llm_sources(results: Sequence[Result]) -> list[dict]:
    """The model saw every retrieved passage under its number: all are sources."""
    return [source_data(r) for r in results]


def answer_question(
    *,
    question: str,
    results: Sequence[Result],
    history: Sequence[Message],
    embedder: TextEmbedder | None,
    query: str | None = None,
    llm_passages: int | None = None,
    stats: TermStats | None = None,
) -> Answer:
    """The LLM's answer when one is configured and answers; otherwise the extractive one.

    ``query`` is the question as retrieval read it (with a follow-up's antecedents); the LLM
    sees the first ``llm_passages`` results, the extractive answer draws from all of them.
    """
    shown = list(results[:llm_passages] if llm_passages else results)
    if llm_enabled() and shown:
        try:
            text = "".join(llm_stream(question=question, results=shown, history=history))
            return Answer(text, llm_sources(shown), Message.Generator.LLM)
        except Exception:
            logger.warning("LLM answer failed; answering extractively", exc_info=True)
    return answer_extractive(
        question=query or question, focus=question, results=results, embedder=embedder, stats=stats
    )
