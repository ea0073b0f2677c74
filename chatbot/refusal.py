"""Whether the book answers at all: the best cosine alone cannot tell in-domain questions apart.

An in-domain question the book does not answer ("what does an Atlas cost?") finds sentences
about Atlas well above any cosine threshold. What tells it is whether the chosen sentences
hold what is asked: a question asking how much, how many, when or who whose sentences hold
no number, year or name about the question's rarest terms (a name next to another subject
answers nothing), or a question naming the attribute it asks for ("What UDP port ...") that
no sentence names. A question naming a robot or product the book never mentions is refused
outright. Below MIN_COSINE, nothing is about the question at all.

How far the best sentence stands out from the runners-up was a signal too, until it was
calibrated on the held-out set and all the development sets together: it refused more
answerable questions than unanswerable ones (bench/README.md, round 10, which also has what
the refusal does not catch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatbot.attributes import GENERIC_HEADS, value_stated
from chatbot.questions import (
    asked_attribute,
    asked_unit,
    content_terms,
    question_parts,
    strict_types,
    type_met,
)
from chatbot.retrieval.analysis import analyze
from chatbot.selection import Selection
from chatbot.sentences import Sentence
from chatbot.termstats import TermStats

# Below this, no sentence is about the question (off-topic questions: calibrated before).
MIN_COSINE = 0.3
# Without a model, the share of the question's terms in the best sentence.
MIN_TERM_OVERLAP = 0.34


@dataclass(frozen=True, slots=True)
class Signals:
    """What the refusal decides from, kept together so the bench can print it."""

    cosine: float
    # The question asks how much, how many, when or who, or for a figure in a unit, and no
    # chosen sentence says.
    fact_missing: bool
    # The question names something ("HRP-4", "Spot") the book never mentions, or asks who,
    # when or how many of a term it never uses.
    unknown_name: bool = False
    # The question names the attribute it asks for ("What UDP port ..."), and no chosen
    # sentence names it: they describe the subject, not that attribute of it.
    attribute_missing: bool = False


# The question's rarest terms the book uses: a fact counts only in a sentence naming one.
ANCHOR_TERMS = 2


def _rarest(terms: set[str], stats: TermStats) -> set[str]:
    """The ANCHOR_TERMS rarest of ``terms`` the book uses, and any as rare as the last:
    picking among equals would follow the set's order, which changes between processes."""
    known = sorted((stats.idf(t) for t in terms if stats.df.get(t)), reverse=True)
    if not known:
        return set()
    least = known[min(ANCHOR_TERMS, len(known)) - 1]
    return {t for t in terms if stats.df.get(t) and stats.idf(t) >= least}


def _anchors(focus: str, stats: TermStats | None, besides: set[str], within: set[str]) -> set[str]:
    """The rarest content terms of the question, but ``besides`` (empty without stats).

    When the passages drawn on (``within``) use none of them, they are the reader's own
    words ("pictures", "ordinary" for the book's "frames", "standard"), and the rarest
    terms the passages do use stand for the subject instead. When they use none of the
    question's terms ("steel" asked of passages about friction), the subject is not there.
    """
    if stats is None:
        return set()
    terms = set(content_terms(focus)) - besides
    rarest = _rarest(terms, stats)
    if rarest & within:
        return rarest
    return _rarest(terms & within, stats) or rarest


def _states(kind, sentence: Sentence, focus: str, anchors: set[str]) -> bool:
    """The sentence holds a fact of ``kind`` about the question's subject, not another's."""
    if not type_met(kind, sentence.text, focus):
        return False
    context = f"{sentence.previous or ''} {sentence.text}"
    return not anchors or bool(anchors & set(analyze(context)))


def _names_attribute(attribute: str, sentence: Sentence, subject: set[str], focus: str) -> bool:
    """The sentence (or the one it follows) names the asked attribute of the subject, or
    gives its value in the form such values take ("in May" for a month)."""
    terms = set(analyze(f"{sentence.previous or ''} {sentence.text}"))
    named = attribute in terms or value_stated(attribute, sentence.text, focus)
    return named and (not subject or bool(subject & terms))


# A word after the question's first, beginning with a letter, with a capital in it: a robot,
# a product, a person ("3D" is none). Ordinary words the book lacks are common in
# paraphrases; names it lacks are not.
_NAME = re.compile(r"(?<=\s)(?=[^\W\d_])(?=[\w-]*[A-Z])[\w-]*\w")


def unknown_names(question: str, stats: TermStats | None) -> list[str]:
    """The names in ``question`` of which the book uses no term (empty without stats)."""
    if stats is None:
        return []
    return [
        name
        for name in _NAME.findall(question)
        if name != "I" and any(not stats.df.get(term) for term in analyze(name))
    ]


# A book term at least this long that an unknown term begins with is the same word in
# another form ("gyro" for "gyroscop", "calcul" for "calculate").
MIN_SHARED_PREFIX = 4


def unknown_terms(question: str, stats: TermStats | None) -> list[str]:
    """The question's content terms the book never uses, in any form (empty without stats)."""
    if stats is None:
        return []
    known = [t for t, n in stats.df.items() if n]

    def used(term: str) -> bool:
        return bool(stats.df.get(term)) or any(
            t.startswith(term) or (len(t) >= MIN_SHARED_PREFIX and term.startswith(t))
            for t in known
        )

    return [t for t in content_terms(question) if not used(t)]


# "Who invented X?": the word after "who" is the relation asked about, and a book that never
# uses it, in any form, tells of no one doing it. Elsewhere in a who, when or how-many
# question a word the book lacks is as often the reader's own ("contraption", "queued",
# "put forward", "competition" for the book's "challenge").
_RELATION = re.compile(r"^\s*who\s+(?P<relation>\w+)", re.I)


def unknown_relation(question: str, stats: TermStats | None) -> bool:
    """A who-question whose relation the book never uses in any form."""
    match = _RELATION.search(question)
    return match is not None and bool(unknown_terms(match.group("relation"), stats))


def refusal_signals(*, focus: str, selection: Selection, stats: TermStats | None = None) -> Signals:
    """The signals for one question against the sentences chosen to answer it."""
    kinds = strict_types(focus)
    # The attribute opens the question: its subject is in that first part, outside the
    # attribute's own words ("MuJoCo" in "What file format does MuJoCo use, and ...?").
    first = question_parts(focus)[0]
    attribute = asked_attribute(first)
    # What is asked ("What year", "What company") is no subject the answer must name.
    within = set().union(*(analyze(p) for p in {s.result.passage.text for s in selection.core}))
    anchors = _anchors(focus, stats, set(attribute), within)
    missing = bool(kinds) and not any(
        _states(k, s, focus, anchors) for k in kinds for s in selection.core
    )
    # Asked "in metres per second": only a figure in that unit answers.
    unit = asked_unit(focus)
    missing = missing or (unit is not None and not any(unit.search(s.text) for s in selection.core))
    # Who did what the book never speaks of ("Who founded X?" when it tells of no founding).
    unknown = bool(unknown_names(focus, stats)) or unknown_relation(focus, stats)
    subject = anchors if first == focus else _anchors(first, stats, set(attribute), within)
    absent = (
        bool(attribute)
        and attribute[-1] not in GENERIC_HEADS
        and not any(_names_attribute(attribute[-1], s, subject, focus) for s in selection.core)
    )
    return Signals(selection.best_cosine, missing, unknown, absent)


def refuse(signals: Signals, *, with_model: bool) -> bool:
    """Whether to answer NOT_FOUND rather than quote sentences that do not answer."""
    if signals.unknown_name or signals.attribute_missing:
        return True
    if not with_model:
        return signals.cosine < MIN_TERM_OVERLAP
    return signals.cosine < MIN_COSINE or signals.fact_missing
