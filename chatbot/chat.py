"""Asking the book: retrieve, answer, and store the question with its answer in one commit."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from chatbot.answering import (
    Answer,
    answer_extractive,
    answer_question,
    llm_enabled,
    llm_sources,
    llm_stream,
)
from chatbot.conversations import conversation_history, title_from_question
from chatbot.followup import query_contextualize
from chatbot.idempotency import Idempotency, idempotency_record, idempotent_replay
from chatbot.models import Conversation, Message
from chatbot.rerank import corpus_search
from chatbot.search import Corpus, Result, corpus_current
from chatbot.selection import EXTRACT_FROM
from chatbot.termstats import corpus_term_stats
from core.errors import ApiError
from core.unavailable import is_unavailable

logger = logging.getLogger(__name__)

# An extractive answer streams one cited sentence per delta event.
_CITED_SENTENCE = re.compile(r"(?<=\]) (?=\S)")


@dataclass(frozen=True, slots=True)
class Exchange:
    conversation: Conversation
    question: Message
    answer: Message


@dataclass(frozen=True, slots=True)
class _Asked:
    """Everything an answer is made from, gathered before any byte is streamed."""

    user: User
    question: str
    conversation_id: object | None
    asked_at: datetime
    corpus: Corpus
    # The question as retrieval read it: a follow-up carries its antecedents.
    query: str
    # Enough passages for the extractive answer; the LLM is shown the first CHAT_PASSAGES.
    results: list[Result]
    history: list[Message]
    idempotency: Idempotency | None = None

    @property
    def llm_results(self) -> list[Result]:
        return self.results[: settings.CHAT_PASSAGES]

    def extractive(self) -> Answer:
        return answer_extractive(
            question=self.query,
            focus=self.question,
            results=self.results,
            embedder=self.corpus.embedder,
            stats=corpus_term_stats(version=self.corpus.version, passages=self.corpus.passages),
        )


def _ask(
    *,
    user: User,
    question: str,
    conversation: Conversation | None,
    idempotency: Idempotency | None = None,
) -> _Asked:
    corpus = corpus_current()
    history = conversation_history(conversation, limit=settings.CHAT_HISTORY_MESSAGES)
    query = query_contextualize(question=question, history=history)
    return _Asked(
        idempotency=idempotency,
        user=user,
        question=question,
        conversation_id=conversation.pk if conversation else None,
        asked_at=timezone.now(),
        corpus=corpus,
        query=query,
        results=corpus_search(corpus, query, max(settings.CHAT_PASSAGES, EXTRACT_FROM)),
        history=history,
    )


@transaction.atomic
def exchange_store(*, asked: _Asked, answer: Answer) -> Exchange:
    """Write the question and its answer together: never a question without its answer."""
    if asked.conversation_id is None:
        conversation = Conversation.objects.create(
            user=asked.user, title=title_from_question(asked.question)
        )
    else:
        # Locked, so a concurrent DELETE either waits for this commit or wins cleanly.
        conversation = (
            Conversation.objects.select_for_update()
            .filter(pk=asked.conversation_id, user=asked.user)
            .first()
        )
        if conversation is None:
            raise ApiError("Not found.", "not_found", 404)
        conversation.title = conversation.title or title_from_question(asked.question)
        conversation.save(update_fields=["title", "updated_at"])
    question = Message.objects.create(
        conversation=conversation,
        role=Message.Role.QUESTION,
        content=asked.question,
        created_at=asked.asked_at,
    )
    answer_message = Message.objects.create(
        conversation=conversation,
        role=Message.Role.ANSWER,
        content=answer.text,
        sources=answer.sources,
        generator=answer.generator,
    )
    exchange = Exchange(conversation, question, answer_message)
    if asked.idempotency is not None:
        idempotency_record(idempotency=asked.idempotency, exchange=exchange)
    return exchange


def chat_ask(
    *,
    user: User,
    question: str,
    conversation: Conversation | None,
    idempotency: Idempotency | None = None,
) -> Exchange:
    """Answer ``question`` (in ``conversation``, or a new one) and store both messages."""
    asked = _ask(user=user, question=question, conversation=conversation, idempotency=idempotency)
    if llm_enabled():
        _release_connection()
    answer = answer_question(
        question=question,
        results=asked.results,
        history=asked.history,
        embedder=asked.corpus.embedder,
        query=asked.query,
        llm_passages=settings.CHAT_PASSAGES,
        stats=corpus_term_stats(version=asked.corpus.version, passages=asked.corpus.passages),
    )
    return _store_once(asked=asked, answer=answer)


def _store_once(*, asked: _Asked, answer: Answer) -> Exchange:
    """A concurrent twin under the same key stored first: its exchange is the answer."""
    try:
        return exchange_store(asked=asked, answer=answer)
    except IntegrityError:
        if (stored := idempotent_replay(asked.idempotency)) is not None:
            return stored
        raise


def sse(event: str, data: dict) -> str:
    """One server-sent event; JSON keeps newlines in the text from breaking the framing."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def chat_stream(
    *,
    user: User,
    question: str,
    conversation: Conversation | None,
    idempotency: Idempotency | None = None,
) -> Iterator[str]:
    """Retrieve now (errors are still plain JSON responses), then stream the answer.

    Events: ``sources``, ``delta``..., ``done`` with the stored ids. When the LLM fails,
    ``reset`` tells the client to drop what it has, and the extractive answer follows. The
    messages are stored only at the end, together: a client that goes away stores nothing.
    """
    asked = _ask(user=user, question=question, conversation=conversation, idempotency=idempotency)
    return _stream(asked)


def stream_replay(exchange: Exchange) -> Iterator[str]:
    """A stored exchange as the stream it was: its sources, its whole text, its ids."""
    yield sse("sources", {"sources": exchange.answer.sources})
    yield sse("delta", {"text": exchange.answer.content})
    yield _done(exchange)


def _done(exchange: Exchange) -> str:
    return sse(
        "done",
        {
            "conversation_id": str(exchange.conversation.pk),
            "question_id": str(exchange.question.pk),
            "answer_id": str(exchange.answer.pk),
            "generator": exchange.answer.generator,
        },
    )


def _release_connection() -> None:
    """A model talks for seconds: its stream gives the database connection back (to the pool)
    while it waits, so that open streams hold no connection. Inside a transaction (a test's)
    the connection stays, as closing it would end the transaction."""
    if not connection.in_atomic_block:
        connection.close()


def _stream(asked: _Asked) -> Iterator[str]:
    answer = None
    if llm_enabled() and asked.llm_results:
        sources = llm_sources(asked.llm_results)
        _release_connection()
        yield sse("sources", {"sources": sources})
        parts: list[str] = []
        try:
            # Closed at once when the client goes away (the server closes this generator at
            # its next write), which ends the model's request too.
            with closing(
                llm_stream(
                    question=asked.question, results=asked.llm_results, history=asked.history
                )
            ) as texts:
                for text in texts:
                    parts.append(text)
                    yield sse("delta", {"text": text})
            answer = Answer("".join(parts), sources, Message.Generator.LLM)
        except Exception:
            logger.warning("LLM stream failed; answering extractively", exc_info=True)
            yield sse("reset", {})
    if answer is None:
        answer = asked.extractive()
        yield sse("sources", {"sources": answer.sources})
        pieces = _CITED_SENTENCE.split(answer.text)
        for i, piece in enumerate(pieces, start=1):
            yield sse("delta", {"text": piece if i == len(pieces) else piece + " "})
    try:
        exchange = _store_once(asked=asked, answer=answer)
    except Exception as exc:
        logger.exception("storing a streamed answer failed")
        code = exc.get_codes() if isinstance(exc, ApiError) else "server_error"
        code = "unavailable" if is_unavailable(exc) else code
        yield sse("error", {"detail": "The answer could not be stored.", "code": code})
        return
    yield _done(exchange)
