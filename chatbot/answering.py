"""Answers from retrieved passages: extractive offline, or an LLM told to cite by number."""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from openai import OpenAI

from chatbot.models import Message
from chatbot.retrieval import TextEmbedder, analyze
from chatbot.search import Result, query_bounded, source_data

logger = logging.getLogger("chatbot.answering")

NOT_FOUND = "I could not find this in the book."
# Below these, the best sentence does not answer the question: calibrated on the gold
# questions against unrelated ones (README, "Chatbot").
MIN_COSINE = 0.3
MIN_TERM_OVERLAP = 0.34
# Sentences this close to the best one join it in the answer.
RELATIVE_CUT = 0.5
MIN_SENTENCES = 2
MAX_SENTENCES = 4
# Passages whose sentences compete for the extractive answer.
EXTRACT_FROM = 3
# Passages whose sentence vectors stay cached: about 20 KB each.
SENTENCE_CACHE = 2048

SYSTEM_PROMPT = (
    "You answer questions about a book on physical AI and humanoid robotics. Answer only "
    "from the numbered passages below; cite each claim with the passage number in brackets, "
    "like [1] or [2]. If the passages do not contain the answer, reply exactly: "
    f'"{NOT_FOUND}" Be concise.'
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_FENCE = re.compile(r"```.*?```", re.S)


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    sources: list[dict]
    generator: str


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    result: Result
    order: tuple[int, int]


def _sentences(results: Sequence[Result]) -> list[_Sentence]:
    """Prose sentences of the passages; headings, code and list markers are not answers."""
    found = []
    for result in results:
        prose = _FENCE.sub(" ", result.passage.text)
        lines = [
            re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip()
            for line in prose.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "|"))
        ]
        for i, sentence in enumerate(_SENTENCE_END.split(" ".join(lines))):
            # A question in the text restates what is asked; it answers nothing.
            if len(sentence.split()) >= 4 and not sentence.endswith("?"):
                found.append(_Sentence(sentence.strip(), result, (result.position, i)))
    return found


@functools.lru_cache(maxsize=SENTENCE_CACHE)
def _sentence_vectors(embedder: TextEmbedder, sentences: tuple[str, ...]) -> np.ndarray:
    """Embeddings of one passage's sentences, kept: the same passages answer many questions."""
    return embedder.embed(list(sentences))


def _scores(question: str, sentences: list[_Sentence], embedder: TextEmbedder | None) -> np.ndarray:
    """Cosine to the question with a model; else the share of the question's terms present."""
    if embedder is not None:
        query = embedder.embed([query_bounded(question)])[0]
        by_passage: dict[int, list[str]] = {}
        for s in sentences:
            by_passage.setdefault(s.result.passage.id, []).append(s.text)
        vectors = np.concatenate(
            [_sentence_vectors(embedder, tuple(texts)) for texts in by_passage.values()]
        )
        return vectors @ query
    terms = set(analyze(question))
    if not terms:
        return np.zeros(len(sentences))
    return np.array([len(terms & set(analyze(s.text))) / len(terms) for s in sentences])


def answer_extractive(
    *, question: str, results: Sequence[Result], embedder: TextEmbedder | None
) -> Answer:
    """The 2-4 sentences nearest the question, de-duplicated, in book order, each cited."""
    sentences = _sentences(results[:EXTRACT_FROM])
    scores = _scores(question, sentences, embedder) if sentences else np.zeros(0)
    threshold = MIN_COSINE if embedder is not None else MIN_TERM_OVERLAP
    if not len(scores) or scores.max() < threshold:
        return Answer(NOT_FOUND, [], Message.Generator.EXTRACTIVE)
    picked: list[_Sentence] = []
    seen: set[str] = set()
    best = float(scores.max())
    for i in np.argsort(-scores, kind="stable"):
        sentence, score = sentences[i], float(scores[i])
        key = " ".join(analyze(sentence.text))
        if key in seen:
            # Passages overlap: the same sentence may be in two of them.
            continue
        if len(picked) >= MIN_SENTENCES and (score < threshold or score < RELATIVE_CUT * best):
            break
        seen.add(key)
        picked.append(sentence)
        if len(picked) == MAX_SENTENCES:
            break
    picked.sort(key=lambda s: s.order)
    numbers: dict[int, int] = {}
    sources = []
    parts = []
    for sentence in picked:
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
    # No retries: a slow or failing endpoint should cost one timeout, then the fallback.
    return OpenAI(
        api_key=settings.LLM_API_KEY,
        base_url=settings.LLM_BASE_URL,
        timeout=settings.LLM_TIMEOUT_SECONDS,
        max_retries=0,
    )


def llm_stream(
    *, question: str, results: Sequence[Result], history: Sequence[Message]
) -> Iterator[str]:
    """The model's answer as it arrives; raises on timeouts, HTTP errors and empty answers."""
    # The client's timeout bounds each read only: a model trickling tokens would never hit it.
    deadline = time.monotonic() + settings.LLM_TIMEOUT_SECONDS
    stream = _client().chat.completions.create(
        model=settings.LLM_MODEL,
        messages=_llm_messages(question, results, history),
        stream=True,
    )
    produced = False
    try:
        for chunk in stream:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the model took over {settings.LLM_TIMEOUT_SECONDS} s")
            text = chunk.choices[0].delta.content if chunk.choices else None
            if text:
                produced = True
                yield text
    finally:
        stream.close()
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
) -> Answer:
    """The LLM's answer when one is configured and answers; otherwise the extractive one."""
    if llm_enabled() and results:
        try:
            text = "".join(llm_stream(question=question, results=results, history=history))
            return Answer(text, llm_sources(results), Message.Generator.LLM)
        except Exception:
            logger.warning("LLM answer failed; answering extractively", exc_info=True)
    return answer_extractive(question=question, results=results, embedder=embedder)
