"""The tables bench/answer_eval.py prints: per kind of question, then the set-wide measures."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bench.heldout_set import KINDS

if TYPE_CHECKING:
    from bench.answer_eval import Outcome

RECALL_K = 5


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, as numpy's default, without needing numpy here."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _share(flags: Iterable[bool]) -> str:
    flags = list(flags)
    return f"{sum(flags) / len(flags):.2f} ({sum(flags)}/{len(flags)})" if flags else "-"


def _mean(values: Iterable[float]) -> str:
    values = list(values)
    return f"{statistics.fmean(values):.3f}" if values else "-"


def table(outcomes: Sequence[Outcome]) -> str:
    """The Markdown tables bench/README.md records."""
    answerable = [o for o in outcomes if o.kind != "unanswerable"]
    groups = [(kind, [o for o in answerable if o.kind == kind]) for kind in KINDS[:-1]]
    groups.append(("all answerable", answerable))
    lines = [
        "| kind | n | Recall@5 | MRR@10 | correct & sufficient | facts stated | "
        "false refusals | cites an expected passage |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, group in groups:
        if not group:
            continue
        recall = _share(o.rank is not None and o.rank <= RECALL_K for o in group)
        mrr = _mean(1 / o.rank if o.rank else 0.0 for o in group)
        facts = _mean(sum(o.facts_stated) / len(o.facts_stated) for o in group)
        lines.append(
            f"| {label} | {len(group)} | {recall} | {mrr} | {_share(o.correct for o in group)} "
            f"| {facts} | {_share(o.refused for o in group)} "
            f"| {_share(o.cites_expected for o in group)} |"
        )
    unanswerable = [o for o in outcomes if o.kind == "unanswerable"]
    specific = [o for o in outcomes if o.kind == "specific"]
    multi = [o for o in outcomes if o.kind == "multi_passage"]
    chat = [o.chat_ms for o in outcomes]
    repeat = [ms for o in outcomes for ms in o.repeat_ms]
    search = [o.search_ms for o in outcomes]
    lines += [
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| refusal rate on unanswerable | {_share(o.refused for o in unanswerable)} |",
        f"| false-refusal rate on answerable | {_share(o.refused for o in answerable)} |",
        f"| stated fact present, specific | {_share(all(o.facts_stated) for o in specific)} |",
        f"| multi_passage: every expected passage in top 5 | {_share(o.all_at_5 for o in multi)} |",
        f"| `chat_ask` p50 / p95 ms, first ask ({len(chat)} calls) | "
        f"{percentile(chat, 50):.1f} / {percentile(chat, 95):.1f} |",
    ]
    if repeat:
        lines.append(
            f"| `chat_ask` p50 / p95 ms, asked again ({len(repeat)} calls) | "
            f"{percentile(repeat, 50):.1f} / {percentile(repeat, 95):.1f} |"
        )
    lines.append(
        f"| `passages_search` alone p50 / p95 ms | "
        f"{percentile(search, 50):.1f} / {percentile(search, 95):.1f} |"
    )
    return "\n".join(lines)
