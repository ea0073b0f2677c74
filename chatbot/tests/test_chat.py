"""Asking: POST /api/chat and /messages, extractive answers, streaming, the rate limit."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIRequestFactory

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import client_of
from chatbot.answering import NOT_FOUND
from chatbot.models import Conversation, Message
from chatbot.tests.helpers import QUESTION, ask, sse_events
from chatbot.views import CHAT_PER_USER
from core.ratelimit import RateLimited, ratelimit_enforce

pytestmark = pytest.mark.django_db

SAMPLE_BOOK = Path(__file__).resolve().parents[1] / "book"


def citations(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


def test_chat_creates_a_titled_conversation_and_stores_both_messages(signed_in, book):
    response = ask(signed_in)
    assert response.status_code == 200
    body = response.json()
    conversation = Conversation.objects.get(pk=body["conversation"]["id"])
    assert conversation.user == signed_in.user
    assert conversation.title == QUESTION
    question, answer = body["question"], body["answer"]
    assert (question["role"], question["content"], question["sources"]) == (
        "question",
        QUESTION,
        [],
    )
    assert answer["role"] == "answer" and answer["generator"] == "extractive"
    stored = list(conversation.messages.order_by("created_at").values_list("id", "role"))
    assert [(str(i), r) for i, r in stored] == [
        (question["id"], "question"),
        (answer["id"], "answer"),
    ]


def test_an_extractive_answer_cites_its_sentences_in_book_order(signed_in, book):
    answer = ask(signed_in).json()["answer"]
    sentences = re.findall(r"[^\[]+\[\d+\]", answer["content"])
    assert 2 <= len(sentences) <= 4
    assert len(set(sentences)) == len(sentences)
    numbers = citations(answer["content"])
    assert sorted(set(numbers)) == list(range(1, len(answer["sources"]) + 1))
    assert answer["sources"][0]["anchor"] == "sensing-for-balance"
    assert "inertial measurement unit" in answer["content"]
    # In the order of the book: the IMU sentence comes before the foot sensors one.
    assert answer["content"].index("inertial") < answer["content"].index("soles")
    assert set(answer["sources"][0]) == {
        "passage_id",
        "score",
        "heading_path",
        "file",
        "anchor",
        "snippet",
    }


def test_an_unrelated_question_is_not_found_with_no_sources(signed_in, book):
    answer = ask(signed_in, "What is the capital of France?").json()["answer"]
    assert answer["content"] == NOT_FOUND
    assert answer["sources"] == []
    assert Message.objects.get(pk=answer["id"]).content == NOT_FOUND


def test_an_empty_book_answers_not_found(signed_in):
    assert ask(signed_in).json()["answer"]["content"] == NOT_FOUND


def test_posting_a_message_answers_in_that_conversation(signed_in, book):
    conversation = Conversation.objects.create(user=signed_in.user)
    before = conversation.updated_at
    url = f"/api/conversations/{conversation.pk}/messages"
    response = signed_in.post(url, {"content": "How do I tune a PID controller?"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"question", "answer"}
    assert body["answer"]["sources"][0]["anchor"] == "pid-control"
    conversation.refresh_from_db()
    assert conversation.title == "How do I tune a PID controller?"
    assert conversation.updated_at > before
    listed = signed_in.get(url).json()["results"]
    assert [m["id"] for m in listed] == [body["question"]["id"], body["answer"]["id"]]
    ask(signed_in, "What is a ROS 2 topic?", conversation_id=str(conversation.pk))
    assert conversation.messages.count() == 4
    conversation.refresh_from_db()
    assert conversation.title == "How do I tune a PID controller?"


def test_a_streamed_answer_sends_sources_deltas_and_done_and_stores_both(signed_in, book):
    response = ask(signed_in, stream=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-store"
    events = sse_events(response)
    names = [name for name, _ in events]
    assert names[0] == "sources" and names[-1] == "done"
    assert set(names[1:-1]) == {"delta"} and len(names) >= 4
    done = events[-1][1]
    answer = Message.objects.get(pk=done["answer_id"])
    assert "".join(data["text"] for name, data in events if name == "delta") == answer.content
    assert events[0][1]["sources"] == answer.sources != []
    assert done["generator"] == "extractive"
    question = Message.objects.get(pk=done["question_id"], role="question", content=QUESTION)
    assert str(question.conversation_id) == done["conversation_id"] == str(answer.conversation_id)
    assert question.conversation.user == signed_in.user


def test_a_stream_the_client_abandons_stores_nothing(signed_in, book, monkeypatch):
    response = ask(signed_in, stream=True)
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"event: sources")
    # close() is what the WSGI server calls when the client goes away. Its request_finished
    # signal would close the test's database connection (inside the test's transaction).
    monkeypatch.setattr(connection, "close_if_unusable_or_obsolete", lambda: None)
    response.close()
    assert not Message.objects.exists()
    assert not Conversation.objects.exists()


def test_a_conversation_deleted_mid_stream_ends_it_with_an_error_event(signed_in, book):
    conversation = Conversation.objects.create(user=signed_in.user, title="t")
    response = ask(signed_in, conversation_id=str(conversation.pk), stream=True)
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"event: sources")
    assert signed_in.delete(f"/api/conversations/{conversation.pk}").status_code == 204
    rest = b"".join(chunks).decode()
    last = rest.strip().split("\n\n")[-1]
    assert last.startswith("event: error\n")
    assert '"code": "not_found"' in last
    assert "event: done" not in rest
    assert not Message.objects.exists()


def test_chat_is_limited_to_30_questions_a_minute_per_user(signed_in, other, book):
    conversation = Conversation.objects.create(user=signed_in.user)
    url = f"/api/conversations/{conversation.pk}/messages"
    for i in range(30):
        if i % 3 == 0:
            response = signed_in.post(url, {"content": "What is PID?"}, format="json")
        elif i % 3 == 1:
            response = ask(signed_in, "What is PID?", stream=True)
            assert sse_events(response)[-1][0] == "done"
        else:
            response = ask(signed_in, "What is PID?")
        assert response.status_code in (200, 201), i
    for refused in (ask(signed_in), signed_in.post(url, {"content": "Why?"}, format="json")):
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert int(refused["Retry-After"]) >= 1
    assert ask(other).status_code == 200
    assert Message.objects.filter(conversation__user=signed_in.user, role="question").count() == 30


def test_the_sample_book_answers_the_balance_question(db, user, tmp_path):
    """Done means: the shipped book answers with cited passages of its sensing-for-balance part."""
    call_command("ingest_book", str(SAMPLE_BOOK))
    body = ask(client_of(user)).json()
    answer = body["answer"]
    assert answer["content"] != NOT_FOUND
    assert citations(answer["content"])
    anchors = {(s["file"], s["anchor"]) for s in answer["sources"]}
    assert ("02-sensors-and-perception.md", "sensing-for-balance") in anchors
    assert "inertial measurement unit" in answer["content"].lower()


def test_chat_limit_allows_thirty_a_minute_per_user(user):
    request = APIRequestFactory().post("/api/chat")
    for _ in range(30):
        ratelimit_enforce(request=request, limits=[CHAT_PER_USER], user=user)
    with pytest.raises(RateLimited):
        ratelimit_enforce(request=request, limits=[CHAT_PER_USER], user=user)
    ratelimit_enforce(request=request, limits=[CHAT_PER_USER], user=UserFactory())
