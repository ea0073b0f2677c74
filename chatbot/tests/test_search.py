"""GET /api/search, the per-process index and its rebuilds, lexical fallback, /api/health."""

import logging
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chatbot import search as search_module
from chatbot.corpus_version import corpus_version_get
from chatbot.models import Passage
from chatbot.tests.helpers import write_book

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    return client.get("/api/search", {"q": q, **params})


def test_search_returns_ranked_passages_with_their_location(signed_in, book):
    response = search(signed_in, "Which sensors keep a humanoid balanced?")
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "Which sensors keep a humanoid balanced?"
    assert body["retrieval"] == "hybrid"
    top = body["results"][0]
    passage = Passage.objects.get(anchor="sensing-for-balance")
    assert top == {
        "passage_id": passage.id,
        "score": top["score"],
        "heading_path": ["Balance", "Sensing for balance"],
        "file": "01-balance.md",
        "anchor": "sensing-for-balance",
        "snippet": top["snippet"],
    }
    assert top["snippet"].startswith("A humanoid keeps its balance")
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_k_bounds_the_number_of_results(signed_in, book):
    assert len(search(signed_in, "robot", k=1).json()["results"]) == 1
    assert len(search(signed_in, "the robot joint gains topics").json()["results"]) <= 10


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "robot", "k": 0}, "k"),
        ({"q": "robot", "k": 51}, "k"),
        ({"q": "robot", "k": "ten"}, "k"),
    ],
)
def test_invalid_queries_are_400(signed_in, params, field):
    response = signed_in.get("/api/search", params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()


def test_a_new_ingest_is_seen_by_the_next_search(signed_in, book):
    anchors = [r["anchor"] for r in search(signed_in, "grippers").json()["results"]]
    assert "grippers" not in anchors
    write_book(book, {"04-hands.md": "# Hands\n\n## Grippers\n\nGrippers close on objects.\n"})
    call_command("ingest_book", str(book))
    assert search(signed_in, "grippers").json()["results"][0]["anchor"] == "grippers"


def test_the_corpus_version_is_read_at_most_once_per_interval(signed_in, book, settings):
    settings.CHAT_CORPUS_CHECK_SECONDS = 60
    search(signed_in, "balance")
    with CaptureQueriesContext(connection) as queries:
        assert search(signed_in, "balance").status_code == 200
    assert not [q for q in queries.captured_queries if "book_" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_search_that_waited_for_a_rebuild_keeps_the_newer_index(book):
    """A thread that read the version before another thread's rebuild must not undo it."""
    holder = search_module._holder
    version_read = threading.Event()
    got = []

    def note_version_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "book_corpus_version" in sql:
            version_read.set()
        return result

    def waiting_request():
        try:
            with connection.execute_wrapper(note_version_read):
                got.append(holder.get())
        finally:
            connection.close()

    with holder.lock:
        waiter = threading.Thread(target=waiting_request)
        waiter.start()
        assert version_read.wait(10)
        # Meanwhile the book changes and another thread indexes the new version.
        write_book(book, {"04-hands.md": "# Hands\n\n## Grippers\n\nGrippers close.\n"})
        call_command("ingest_book", str(book))
        holder.corpus = search_module.corpus_build(version=corpus_version_get())
        newest = holder.corpus
    waiter.join(10)
    assert got == [newest]
    assert holder.corpus is newest


def test_without_the_model_search_is_lexical_and_says_so(signed_in, book, settings, caplog):
    """A model file that fails its SHA-256 check is a real load failure, not a mock."""
    settings.EMBEDDING_MODEL_PATH = str(book / "02-control.md")
    with caplog.at_level(logging.WARNING, logger="chatbot.embeddings"):
        body = search(signed_in, "How do I tune the PID gains?").json()
    assert body["retrieval"] == "lexical"
    assert body["results"][0]["anchor"] == "pid-control"
    assert any("lexical" in r.getMessage() for r in caplog.records)
    assert signed_in.get("/api/health").json()["retrieval"] == "lexical"


def test_embeddings_of_another_model_mean_lexical_search(signed_in, book, caplog):
    Passage.objects.filter(anchor="walking").update(embedding_model="some-other-model")
    with caplog.at_level(logging.WARNING, logger="chatbot.search"):
        body = search(signed_in, "zero-moment point").json()
    assert body["retrieval"] == "lexical"
    assert body["results"][0]["anchor"] == "walking"
    assert any("re-ingested" in r.getMessage() for r in caplog.records)


def test_health_reports_the_retrieval_mode(api, book):
    response = api.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "retrieval": "hybrid",
    }
