"""Which sentences of the retrieved passages answer: scored in context, one per question part.

Similarity to the question alone picks a section's opening definition over the sentence that
states the asked-for fact. The score here adds what a reader uses: how well the passage ranked,
whether the sentence uses the question's rarer terms, and whether it holds the kind of fact
asked for (a number, a year, a name). A sentence that begins by pointing back ("It", "This",
"For this reason") brings the sentence it points to; a short lead-in ("LiDAR is used mainly
for two tasks.") brings the one it introduces. The refusal reads the closest four picks; the
answer shown goes on to six, since the facts asked for are often spread wider than four.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chatbot.questions import content_terms, expected_types, question_parts, type_met
from chatbot.retrieval.analysis import analyze
from chatbot.retrieval.dense import TextEmbedder
from chatbot.search import Result, query_bounded
from chatbot.sentences import Sentence, points_back, prose_sentences, split_sentences
from chatbot.termstats import TermStats

# Passages whose sentences compete: the answer is often in the 4th or 5th passage.
EXTRACT_FROM = 8
# Bonus by passage rank (0-based): the ranking already weighed the whole passage.
RANK_BONUS = (0.08, 0.05, 0.03, 0.015, 0.0)
# Weight of the idf-weighted share of question terms a sentence uses.
LEXICAL_WEIGHT = 0.4
# Bonus for a sentence holding the kind of fact the question asks for.
TYPE_BONUS = 0.2
# Taken from a section's opening sentence unless the question asks what something is: the
# opening defines the topic and, being near every question on it, would win too often.
OPENING_PENALTY = 0.1
# Bonus for the sentences of the passage holding the best one.
CONTEXT_BONUS = 0.1
MIN_SENTENCES = 3
# A picked sentence of fewer words than this that announces a list (_ANNOUNCES) introduces
# the next one, quoted with it.
LEAD_IN_WORDS = 12
MAX_SENTENCES = 4
# Beyond the first sentence of each part, a sentence must be this close to the best score.
FILL_MARGIN = 0.2
# The answer shown goes on to this many, within this margin: the facts a question wants are
# often spread over more sentences than the core, and the refusal reads the core alone.
SHOWN_SENTENCES = 6
SHOWN_MARGIN = 0.4
# Passages whose sentence vectors stay cached: about 20 KB each.
SENTENCE_CACHE = 2048


# Words by which a sentence announces that a list follows it.
_ANNOUNCES = re.compile(
    r"\b(?:two|three|four|five|six|several|many|various|main|following)\b|:$", re.I
)
_DEFINITION = re.compile(
    r"^\s*(?:what(?:'s| is| are)|whats|define|definition|meaning of|tell me about)\b|\bmean\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen sentences in book order, and what the refusal reads."""

    sentences: list[Sentence]
    best_cosine: float
    # The closest picks alone, which the refusal checks for the asked fact: the further
    # sentences shown only complete the answer, and a figure among them answers nothing.
    core: list[Sentence]


@functools.lru_cache(maxsize=SENTENCE_CACHE)
def passage_vectors(embedder: TextEmbedder, text: str) -> np.ndarray:
    """Embeddings of one passage's sentences, kept: the same passages answer many questions."""
    sentences = [sentence for _, sentence, _ in prose_sentences(text)]
    if not sentences:
        return np.zeros((0, 0), dtype=np.float32)
    return embedder.embed(sentences)


@functools.lru_cache(maxsize=256)
def query_vector(embedder: TextEmbedder, text: str) -> np.ndarray:
    """One question's embedding (of its bounded start): reranking and selection need it once."""
    return embedder.embed([query_bounded(text)])[0]


def _cosines(query: np.ndarray, sentences: list[Sentence], embedder: TextEmbedder) -> np.ndarray:
    by_passage: dict[int, str] = {}
    for s in sentences:
        by_passage.setdefault(s.result.passage.id, s.result.passage.text)
    vectors = np.concatenate([passage_vectors(embedder, text) for text in by_passage.values()])
    return vectors @ query


def _lexical(terms: list[str], sentences: list[Sentence], stats: TermStats | None) -> np.ndarray:
    """The idf-weighted share of the question's terms each sentence uses."""
    unique = sorted(set(terms))
    if not unique:
        return np.zeros(len(sentences))
    weights = {t: stats.idf(t) if stats else 1.0 for t in unique}
    total = sum(weights.values())
    return np.array(
        [sum(weights[t] for t in set(analyze(s.text)) & weights.keys()) / total for s in sentences]
    )


def _part_scores(
    part: str,
    sentences: list[Sentence],
    cosines: np.ndarray | None,
    stats: TermStats | None,
) -> np.ndarray:
    """Score of every sentence for one question part."""
    lexical = _lexical(content_terms(part), sentences, stats)
    base = cosines if cosines is not None else np.zeros(len(sentences))
    rank = np.array([RANK_BONUS[min(s.rank, len(RANK_BONUS) - 1)] for s in sentences])
    kinds = expected_types(part)
    typed = np.array([float(any(type_met(k, s.text, part) for k in kinds)) for s in sentences])
    opening = 0.0 if _DEFINITION.search(part) else OPENING_PENALTY
    first = np.array([float(s.index == 0) for s in sentences])
    scores = base + LEXICAL_WEIGHT * lexical + rank + TYPE_BONUS * typed - opening * first
    # The best sentence's passage is the likeliest to continue it: its other sentences
    # are favoured over equally near ones elsewhere, so an answer reads as one account.
    home = sentences[int(np.argmax(scores))].result.passage.id
    return scores + CONTEXT_BONUS * np.array([s.result.passage.id == home for s in sentences])


def select_sentences(
    *,
    question: str,
    focus: str,
    results: Sequence[Result],
    embedder: TextEmbedder | None,
    stats: TermStats | None,
) -> Selection | None:
    """The best sentence of each part of ``focus``, then close runners-up, references carried.

    ``question`` is what the embedding compares with (a follow-up with its antecedents);
    ``focus`` is what the reader typed last, whose parts and terms must be answered.
    """
    sentences = split_sentences(results[:EXTRACT_FROM])
    if not sentences:
        return None
    parts = question_parts(focus)
    texts = [question] if len(parts) == 1 else [question, *parts]
    vectors = [query_vector(embedder, t) for t in texts] if embedder is not None else None
    cosines = [_cosines(v, sentences, embedder) for v in vectors] if vectors is not None else None
    whole = _part_scores(
        focus if len(parts) == 1 else question,
        sentences,
        cosines[0] if cosines else None,
        stats,
    )
    if len(parts) == 1 and question != focus:
        # A follow-up: its own terms decide among the sentences the context brought in.
        whole = whole + LEXICAL_WEIGHT * _lexical(content_terms(focus), sentences, stats)
    per_part = [whole] if len(parts) == 1 else []
    for i, part in enumerate(parts if len(parts) > 1 else []):
        per_part.append(_part_scores(part, sentences, cosines[i + 1] if cosines else None, stats))
    core = _pick(sentences, per_part, whole, MAX_SENTENCES, FILL_MARGIN)
    picked = _pick(sentences, per_part, whole, SHOWN_SENTENCES, SHOWN_MARGIN)
    if cosines:
        # A multi-part question is as well answered as its best-answered reading: the whole
        # question's embedding blurs two subjects, each part's is near its own sentence.
        best_cosine = max(float(c.max()) for c in cosines)
    else:
        # Without a model: the plain share of the question's terms in the best sentence.
        best_cosine = float(_lexical(analyze(question), sentences, None).max())
    return Selection(
        _with_references(picked, sentences),
        best_cosine,
        _with_references(core, sentences),
    )


def _pick(
    sentences: list[Sentence],
    per_part: list[np.ndarray],
    whole: np.ndarray,
    most: int,
    margin: float,
) -> list[Sentence]:
    """One sentence per part, then the whole question's runners-up within ``margin``."""
    chosen: list[int] = []
    seen: set[str] = set()

    def take(i: int) -> bool:
        key = " ".join(analyze(sentences[i].text))
        if key in seen:
            # Passages overlap: the same sentence may be in two of them.
            return False
        seen.add(key)
        chosen.append(i)
        return True

    for scores in per_part:
        for i in np.argsort(-scores, kind="stable"):
            if int(i) not in chosen and take(int(i)):
                break
    best = float(whole.max())
    limit = max(most, len(per_part))
    for i in np.argsort(-whole, kind="stable"):
        if len(chosen) >= limit:
            break
        if int(i) in chosen:
            continue
        if float(whole[i]) < best - margin:
            # Short of MIN_SENTENCES, a weaker sentence may still complete the account of a
            # passage already quoted; from any other passage it would be filler.
            cited = {sentences[j].result.passage.id for j in chosen}
            if len(chosen) >= MIN_SENTENCES or sentences[i].result.passage.id not in cited:
                continue
        take(int(i))
    return [sentences[i] for i in chosen]


def _leads_in(text: str) -> bool:
    """A short sentence announcing what follows ("Encoders come in two types.")."""
    return len(text.split()) < LEAD_IN_WORDS and bool(_ANNOUNCES.search(text))


_ANNOUNCED_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5}


def _announced(text: str) -> int:
    """How many sentences a lead-in introduces: as many as the items it counts ("used mainly
    for two tasks." is followed by "The first ..." and "The second ..."), else one."""
    counts = [
        _ANNOUNCED_COUNT[w] for w in re.findall(r"\w+", text.lower()) if w in _ANNOUNCED_COUNT
    ]
    return max(counts, default=1)


def _with_references(picked: list[Sentence], sentences: list[Sentence]) -> list[Sentence]:
    """Picked sentences in book order, each pointing-back one preceded by its antecedent and
    each short lead-in ("LiDAR is used mainly for two tasks.") followed by what it introduces.
    """
    keys = {(s.result.passage.id, s.index) for s in picked}
    following = {(s.result.passage.id, s.index - 1): s for s in sentences}
    out = list(picked)
    for s in picked:
        if not _leads_in(s.text):
            continue
        index = s.index
        for _ in range(_announced(s.text)):
            introduced = following.get((s.result.passage.id, index))
            if introduced is None:
                break
            out.append(introduced)
            keys.add((s.result.passage.id, introduced.index))
            index = introduced.index
    for s in picked:
        antecedent = s.previous
        if not antecedent or antecedent.endswith("?") or not points_back(s.text):
            continue
        if (s.result.passage.id, s.index - 1) not in keys:
            out.append(Sentence(s.previous, s.result, s.rank, s.index - 1, None))
            keys.add((s.result.passage.id, s.index - 1))
    unique: dict[str, Sentence] = {}
    for s in sorted(out, key=lambda s: s.order):
        unique.setdefault(s.text, s)
    return list(unique.values())
