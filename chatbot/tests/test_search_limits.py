"""What one reader can make search cost: a limit per minute, and a bound on each query."""

import json
import random
import statistics
import string
import time
from pathlib import Path

import pytest

from chatbot.embeddings import _counting_tokenizer, text_prefix
from chatbot.retrieval.analysis import MAX_QUERY_TERMS, query_terms
from chatbot.retrieval.lexical import LexicalIndex
from chatbot.search import MAX_QUERY_TOKENS, passages_search
from chatbot.serializers import MAX_QUERY_CHARS, MAX_QUESTION_CHARS

pytestmark = pytest.mark.django_db

QUESTION = "Which sensors keep a humanoid balanced?"
# Ordinary questions, each asked once: a repeated one would find its embedding cached.
GOLD = Path(__file__).resolve().parents[1] / "book" / "gold.jsonl"
ORDINARY = [json.loads(line)["question"] for line in GOLD.read_text().splitlines()[:30]]


def random_query(rng: random.Random, alphabet: str = string.ascii_lowercase + " ") -> str:
    return "".join(rng.choice(alphabet) for _ in range(MAX_QUERY_CHARS))


def tokens(text: str) -> int:
    return len(_counting_tokenizer().encode(text).ids)


def test_search_is_limited_to_60_a_minute_per_user(signed_in, other, book, ratelimit_clock):
    rng = random.Random(0)
    for i in range(60):
        response = signed_in.get("/api/search", {"q": random_query(rng), "k": 50})
        assert response.status_code == 200, i
    refused = signed_in.get("/api/search", {"q": QUESTION})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    # Invalid requests count too: the limit is checked before anything else is read.
    assert signed_in.get("/api/search", {"q": ""}).status_code == 429
    assert other.get("/api/search", {"q": QUESTION}).status_code == 200
    ratelimit_clock.advance(61)
    assert signed_in.get("/api/search", {"q": QUESTION}).status_code == 200


def test_an_over_long_query_is_refused_and_the_longest_accepted_one_answers(signed_in, book):
    too_long = signed_in.get("/api/search", {"q": "balance " * 63})
    assert too_long.status_code == 400 and "q" in too_long.json()
    longest = ("balance " * 63)[:MAX_QUERY_CHARS]
    response = signed_in.get("/api/search", {"q": longest})
    assert response.status_code == 200
    assert response.json()["query"] == longest


def test_only_the_start_of_a_long_query_is_searched_for(signed_in, book):
    rng = random.Random(1)
    noise = random_query(rng)[: MAX_QUERY_CHARS - len(QUESTION) - 1]

    def results(q: str) -> list[int]:
        return [r["passage_id"] for r in signed_in.get("/api/search", {"q": q}).json()["results"]]

    # The question is read, whatever follows it ...
    assert results(f"{QUESTION} {noise}")[0] == results(QUESTION)[0]
    # ... and a question after 64 tokens of noise is not.
    assert results(f"{noise} {QUESTION}") == results(noise)


def test_a_worst_case_chat_question_costs_a_few_questions_not_a_dozen(signed_in, book):
    """The same attack on chat: its question is searched for and scored against sentences
    (two embeddings), bounded the same way: about ten times a question unbounded, two or
    three bounded. The whole question is still stored."""
    rng = random.Random(5)
    worst, normal = [], []

    def chat(text: str) -> dict:
        response = signed_in.post("/api/chat", {"question": text}, format="json")
        assert response.status_code == 200
        return response.json()

    chat(QUESTION)
    for question in ORDINARY[:12]:
        for sample, text in (
            (worst, (random_query(rng) * 4)[:MAX_QUESTION_CHARS]),
            (normal, question),
        ):
            start = time.perf_counter()
            body = chat(text)
            sample.append(time.perf_counter() - start)
            assert body["question"]["content"] == text
    ratio = statistics.median(worst) / statistics.median(normal)
    assert ratio < 5, f"a worst-case chat question costs {ratio:.1f} questions"


@pytest.mark.parametrize(
    "text",
    [
        random_query(random.Random(2)),
        "x" * MAX_QUERY_CHARS,
        random_query(random.Random(3), "".join(map(chr, range(0x4E00, 0x4E80))) + " "),
        "balancing robots " * 200,
    ],
    ids=["letters", "one-word", "cjk", "words"],
)
def test_a_query_is_cut_to_what_the_model_reads_in_64_tokens(text):
    prefix = text_prefix(text, MAX_QUERY_TOKENS)
    assert text.startswith(prefix)
    assert tokens(prefix) <= MAX_QUERY_TOKENS
    # The kept words read exactly as they do in the whole text (all but the final [SEP]).
    kept = _counting_tokenizer().encode(prefix).ids[:-1]
    assert _counting_tokenizer().encode(text).ids[: len(kept)] == kept
    assert len(kept) >= min(tokens(text) - 1, MAX_QUERY_TOKENS - 10)


def test_a_short_query_is_searched_for_whole():
    assert text_prefix(QUESTION, MAX_QUERY_TOKENS) == QUESTION


def test_bm25_reads_only_a_querys_first_distinct_terms():
    index = LexicalIndex(["omega passage", "filler0 passage"])
    fillers = " ".join(f"filler{i}" for i in range(MAX_QUERY_TERMS))
    assert len(query_terms(f"{fillers} omega")) == MAX_QUERY_TERMS
    assert query_terms("filler0 filler0 omega")["filler0"] == 2
    assert [hit.doc for hit in index.search(f"{fillers} omega", 10)] == [1]
    assert {hit.doc for hit in index.search(f"omega {fillers}", 10)} == {0, 1}
    expanded = index.expand(f"{fillers} omega", [1], terms=20, query_weight=0.5)
    assert "omega" not in expanded and len(expanded) <= MAX_QUERY_TERMS + 20


def test_a_worst_case_query_costs_a_few_questions_not_a_dozen(book):
    """The attack: random queries of the longest accepted length, each embedded in full, cost
    about fourteen times a question here; bounded, about three times."""
    rng = random.Random(4)
    passages_search(query=QUESTION, k=50)
    worst, normal = [], []
    for question in ORDINARY[12:27]:
        for sample, query in ((worst, random_query(rng)), (normal, question)):
            start = time.perf_counter()
            passages_search(query=query, k=50)
            sample.append(time.perf_counter() - start)
    ratio = statistics.median(worst) / statistics.median(normal)
    assert ratio < 6, f"a worst-case query costs {ratio:.1f} questions"
