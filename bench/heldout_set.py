"""The held-out question set: its items, how an answer's facts are matched, its checks."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from chatbot.chunking import split_markdown

KINDS = (
    "paraphrase",
    "specific",
    "multi_passage",
    "casual",
    "multi_part",
    "followup",
    "unanswerable",
)

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_CITATION = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class Item:
    """One held-out question, with what a sufficient answer must contain."""

    id: str
    kind: str
    question: str
    passages: tuple[str, ...]
    facts: tuple[tuple[str, ...], ...]
    history: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def normalize(text: str) -> str:
    """Lower-case, accents and compatibility forms folded, dashes as '-', no [n] markers.

    The book writes accented names, en dashes ("Denavit-Hartenberg" with U+2013) and
    superscripts ("J" with a modifier-letter T); facts are written in plain lower-case ASCII
    where they can be, and must match the same text either way.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _CITATION.sub("", _DASHES.sub("-", folded))
    return " ".join(folded.lower().split())


def fact_stated(alternatives: Iterable[str], text: str) -> bool:
    """Whether normalized ``text`` contains any phrasing of the fact."""
    return any(re.search(alt, text) for alt in alternatives)


def load_set(path: Path) -> list[Item]:
    """Parse the JSONL set and refuse a malformed one: a typo must not score as a miss."""
    items: list[Item] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        item = Item(
            id=raw["id"],
            kind=raw["kind"],
            question=raw["question"],
            passages=tuple(raw.get("passages", [])),
            facts=tuple(tuple(fact) for fact in raw.get("facts", [])),
            history=tuple(raw.get("history", [])),
        )
        where = f"{path.name}:{number} ({item.id})"
        if item.kind not in KINDS:
            problems.append(f"{where}: unknown kind {item.kind!r}")
        if item.answerable != bool(item.passages) or item.answerable != bool(item.facts):
            problems.append(f"{where}: answerable items need passages and facts, others none")
        if (item.kind == "followup") != bool(item.history):
            problems.append(f"{where}: history is for followup items, and they need one")
        if item.kind == "specific" and len(item.facts) != 1:
            problems.append(f"{where}: a specific item states exactly one fact")
        for alt in (a for fact in item.facts for a in fact):
            try:
                re.compile(alt)
            except re.error as exc:
                problems.append(f"{where}: bad pattern {alt!r}: {exc}")
            if alt != alt.lower():
                problems.append(f"{where}: pattern {alt!r} is not lower-case")
        items.append(item)
    ids = [item.id for item in items]
    problems += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise SystemExit("\n".join(["the question set is malformed:", *problems]))
    return items


def book_passages(book: Path) -> dict[str, str]:
    """``file#anchor`` -> normalized text, split exactly as ingest splits it.

    An anchor whose section was cut into several passages maps to their joined text: a hit is
    any passage under the anchor.
    """
    texts: dict[str, list[str]] = {}
    for path in sorted(book.glob("*.md")):
        for chunk in split_markdown(path.read_text(encoding="utf-8"), file=path.name):
            texts.setdefault(f"{chunk.file}#{chunk.anchor}", []).append(chunk.text)
    return {key: normalize(" ".join(parts)) for key, parts in texts.items()}


def check_against_book(items: Sequence[Item], passages: dict[str, str]) -> list[str]:
    """Passage ids that do not exist, and facts that no cited passage states."""
    problems = []
    for item in items:
        for pid in item.passages:
            if pid not in passages:
                problems.append(f"{item.id}: no passage {pid}")
        cited = [passages[p] for p in item.passages if p in passages]
        for fact in item.facts:
            if not any(fact_stated(fact, text) for text in cited):
                problems.append(f"{item.id}: fact {list(fact)} is in none of {list(item.passages)}")
    return problems
