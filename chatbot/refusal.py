"""Whether the book answers at all: the best cosine alone cannot tell in-domain questions apart.

An in-domain question the book does not answer ("what does an Atlas cost?") finds sentences
about Atlas well above any cosine threshold. Two more signals help: how far the best sentence
stands out from the runners-up (a flat field means nothing answers), and a question asking
how much, how many, when or who whose chosen sentences hold no number, year or name.
bench/README.md has the calibration and what it does not catch.
"""

from __future__ import annotations

from dataclasses import dataclass

from chatbot.questions import strict_types, type_met
from chatbot.selection import Selection

# Below this, no sentence is about the question (off-topic questions: calibrated before).
MIN_COSINE = 0.3
# Without a model, the share of the question's terms in the best sentence.
MIN_TERM_OVERLAP = 0.34
# Refuse when the best cosine plus its lead over the runners-up falls below this:
# calibrated on the development set and gold.jsonl for about 2% false refusals.
MIN_EVIDENCE = 0.6


@dataclass(frozen=True, slots=True)
class Signals:
    """What the refusal decides from, kept together so the bench can print it."""

    cosine: float
    gap: float
    # The question asks how much, how many, when or who, and no chosen sentence says.
    fact_missing: bool

    @property
    def evidence(self) -> float:
        return self.cosine + self.gap


def refusal_signals(*, focus: str, selection: Selection) -> Signals:
    """The signals for one question against the sentences chosen to answer it."""
    kinds = strict_types(focus)
    answer = [s.text for s in selection.sentences]
    missing = bool(kinds) and not any(type_met(k, text, focus) for k in kinds for text in answer)
    return Signals(selection.best_cosine, selection.cosine_gap, missing)


def refuse(signals: Signals, *, with_model: bool) -> bool:
    """Whether to answer NOT_FOUND rather than quote sentences that do not answer."""
    if not with_model:
        return signals.cosine < MIN_TERM_OVERLAP
    return signals.cosine < MIN_COSINE or signals.fact_missing or signals.evidence < MIN_EVIDENCE
