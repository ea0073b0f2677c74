"""Answer quality on the held-out questions, asked the way the chat view asks them.

Run from the repository root::

    DEBUG=true .venv/bin/python -m bench.answer_eval [--set bench/heldout/questions.jsonl]
        [--json [PATH]] [--rounds 2] [--check]

The gold questions of ``chatbot/book/gold.jsonl`` reuse the book's own words, so retrieval
looks solved on them (Recall@5 0.989) and they say nothing about whether an *answer* answers.
This bench scores what a reader gets: it migrates a scratch SQLite database, ingests the book
with the project's own ``book_ingest``, and sends each held-out question through
``chatbot.chat.chat_ask``, the function ``POST /api/chat`` calls, with the LLM switched off so
the extractive answerer replies. It reports, per kind of question:

- search Recall@5 and MRR@10 of ``passages_search`` (a hit: any expected passage), on the
  question as the chat reads it (with a follow-up's earlier questions);
- "correct and sufficient": the answer is not a refusal and states every expected fact;
- the share of facts stated, false refusals, and whether the answer cites an expected passage;
- on the unanswerable questions, the refusal rate (today's refusal is ``NOT_FOUND``);
- the p50/p95 latency of ``chat_ask`` (retrieval, answer and the two stored messages).

A fact is a list of alternative phrasings; each is a regular expression (most are plain
lower-case substrings) searched in the answer after ``normalize``. ``--check`` only verifies
the set against the book: every passage id exists and every fact appears in a cited passage,
so every fact can be met by an extractive answer.

Follow-up items are asked inside one conversation after their ``history`` questions, as a
reader would ask them. Their search is scored on the query the chat retrieves with
(``chatbot.followup.query_contextualize``: a follow-up carries the earlier questions).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from bench.answer_report import RECALL_K, table
from bench.heldout_set import (
    KINDS,
    Item,
    book_passages,
    check_against_book,
    fact_stated,
    load_set,
    normalize,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SET = ROOT / "bench" / "heldout" / "questions.jsonl"
DEFAULT_JSON = ROOT / "bench" / "results" / "answer_eval.json"
BOOK = ROOT / "chatbot" / "book"
# Search depth for MRR@10; Recall@5 reads the first five of the same list.
SEARCH_K = 10

WARM_UP = "How does a robot keep its balance?"


@dataclass
class Outcome:
    """What the system did with one item; ``--json`` dumps these."""

    id: str
    kind: str
    question: str
    history: list[str]
    expected: list[str]
    retrieved: list[str]
    rank: int | None
    all_at_5: bool
    answer: str
    sources: list[str]
    generator: str
    refused: bool
    facts_stated: list[bool]
    cites_expected: bool
    search_ms: float
    chat_ms: float
    # The same call again, once per extra round: the sentence vectors are cached by then.
    repeat_ms: list[float] = field(default_factory=list)
    correct: bool = field(init=False)

    def __post_init__(self) -> None:
        self.correct = not self.refused and bool(self.facts_stated) and all(self.facts_stated)


def setup_django(database: Path) -> None:
    """A scratch database and no LLM, before Django reads its settings."""
    # An empty key switches the LLM off (answering.llm_enabled), whatever .env says.
    os.environ["LLM_API_KEY"] = ""
    from bench.search_http import setup_django as setup

    setup(database)


def run(items: Sequence[Item], rounds: int) -> tuple[list[Outcome], str]:
    """Ingest the book, ask every item through chat_ask, and return outcomes and search mode.

    The first round is scored and timed as a fresh process serves it: an answer that draws on
    a passage for the first time embeds that passage's sentences. Later rounds only time the
    same calls again, with those vectors cached, as a long-running worker serves them.
    """
    from django.conf import settings
    from django.core.management import call_command

    from accounts.models import User
    from chatbot.answering import NOT_FOUND, llm_enabled
    from chatbot.chat import chat_ask
    from chatbot.conversations import conversation_history
    from chatbot.followup import query_contextualize
    from chatbot.ingest import book_ingest
    from chatbot.models import Conversation, Message
    from chatbot.search import passages_search, search_embedder

    call_command("migrate", verbosity=0)
    report = book_ingest(root=BOOK, embedder=search_embedder())
    assert not llm_enabled(), "the LLM must be off: this bench scores the extractive answerer"
    user = User.objects.create_user("answer-eval@example.com")
    # The first call builds the index and loads the model: not a reader's latency.
    _, mode = passages_search(query=WARM_UP, k=SEARCH_K)
    chat_ask(user=user, question=WARM_UP, conversation=None)
    print(f"ingested {report.passages} passages; search mode {mode}", file=sys.stderr)

    outcomes = []
    # Where each item was asked, so that later rounds ask follow-ups in the same conversation.
    conversations: dict[str, Conversation | None] = {}
    for item in items:
        conversation = None
        for earlier in item.history:
            asked = chat_ask(user=user, question=earlier, conversation=conversation)
            conversation = asked.conversation
        conversations[item.id] = conversation
        # Retrieval as the chat does it: a follow-up is read with the conversation.
        history = conversation_history(conversation, limit=settings.CHAT_HISTORY_MESSAGES)
        query = query_contextualize(question=item.question, history=history)
        start = time.perf_counter()
        results, _ = passages_search(query=query, k=SEARCH_K)
        search_ms = (time.perf_counter() - start) * 1000
        retrieved = [f"{r.passage.file}#{r.passage.anchor}" for r in results]
        start = time.perf_counter()
        exchange = chat_ask(user=user, question=item.question, conversation=conversation)
        chat_ms = (time.perf_counter() - start) * 1000
        answer = exchange.answer
        text = normalize(answer.content)
        sources = [f"{s['file']}#{s['anchor']}" for s in answer.sources]
        rank = next((i for i, p in enumerate(retrieved, 1) if p in item.passages), None)
        outcomes.append(
            Outcome(
                id=item.id,
                kind=item.kind,
                question=item.question,
                history=list(item.history),
                expected=list(item.passages),
                retrieved=retrieved,
                rank=rank,
                all_at_5=set(item.passages) <= set(retrieved[:RECALL_K]),
                answer=answer.content,
                sources=sources,
                generator=answer.generator,
                refused=answer.content.strip() == NOT_FOUND,
                facts_stated=[fact_stated(fact, text) for fact in item.facts],
                cites_expected=bool(set(sources) & set(item.passages)),
                search_ms=search_ms,
                chat_ms=chat_ms,
            )
        )
        assert answer.generator == Message.Generator.EXTRACTIVE, answer.generator
    for _ in range(rounds - 1):
        for item, outcome in zip(items, outcomes, strict=True):
            start = time.perf_counter()
            chat_ask(user=user, question=item.question, conversation=conversations[item.id])
            outcome.repeat_ms.append((time.perf_counter() - start) * 1000)
    return outcomes, mode


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="questions (JSONL)")
    parser.add_argument(
        "--json",
        type=Path,
        nargs="?",
        const=DEFAULT_JSON,
        help=f"write per-question results here (default {DEFAULT_JSON.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="ask every question this many times; rounds after the first only time chat_ask",
    )
    parser.add_argument(
        "--check", action="store_true", help="only verify the set against the book, then stop"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Verify the set, run it, print the tables and optionally dump per-question results."""
    args = parse_args(argv)
    items = load_set(args.set)
    problems = check_against_book(items, book_passages(BOOK))
    if problems:
        raise SystemExit("\n".join(["the set does not fit the book:", *problems]))
    counts = {kind: sum(item.kind == kind for item in items) for kind in KINDS}
    print(f"{len(items)} questions: {counts}", file=sys.stderr)
    if args.check:
        print("every passage exists and every fact is in a cited passage", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(Path(scratch) / "answer_eval.sqlite3")
        outcomes, mode = run(items, max(1, args.rounds))
    print(f"\n{args.set.name}, {len(items)} questions, {mode} search, {date.today()}\n")
    print(table(outcomes))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps([asdict(o) for o in outcomes], indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"\nper-question results: {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
