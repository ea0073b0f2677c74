"""Idempotency-Key on POST /api/chat and /messages: a retry gets the stored exchange back."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from accounts.tests.helpers import client_of
from chatbot.models import Conversation, IdempotentExchange, Message
from chatbot.tests.helpers import sse_events

pytestmark = pytest.mark.django_db

QUESTION = "What sensors does a humanoid use to balance?"


def chat(client, key=None, question=QUESTION, **body):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post("/api/chat", {"question": question, **body}, format="json", headers=headers)


def test_a_retry_with_the_same_key_gets_the_stored_exchange_and_stores_nothing(signed_in, book):
    first = chat(signed_in, "retry-1")
    again = chat(signed_in, "retry-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Message.objects.count() == 2 and Conversation.objects.count() == 1


def test_without_a_key_each_post_stores_an_exchange(signed_in, book):
    chat(signed_in), chat(signed_in)
    assert Message.objects.count() == 4


def test_messages_route_replays_with_its_201(signed_in, book):
    conversation = chat(signed_in).json()["conversation"]["id"]
    url = f"/api/conversations/{conversation}/messages"
    posts = [
        signed_in.post(url, {"content": QUESTION}, format="json", headers={"Idempotency-Key": "m"})
        for _ in range(2)
    ]
    assert [p.status_code for p in posts] == [201, 201]
    assert posts[0].json() == posts[1].json()
    assert Message.objects.count() == 4


def test_the_same_key_with_another_body_is_a_conflict(signed_in, book):
    assert chat(signed_in, "k").status_code == 200
    response = chat(signed_in, "k", question="Who wrote the book?")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Message.objects.count() == 2


def test_keys_belong_to_their_user(signed_in, book, other):
    mine, theirs = chat(signed_in, "shared"), chat(other, "shared")
    assert theirs.status_code == 200
    assert theirs.json()["answer"]["id"] != mine.json()["answer"]["id"]


@pytest.mark.parametrize("key", ["", "x" * 101, "caf\u00e9", "tab\there"])
def test_a_bad_key_is_a_400(signed_in, book, key):
    response = chat(signed_in, key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Message.objects.count() == 0


def test_a_key_is_remembered_for_24_hours(signed_in, book):
    first = chat(signed_in, "old").json()
    IdempotentExchange.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    later = chat(signed_in, "old")
    assert later.status_code == 200 and later.json()["answer"]["id"] != first["answer"]["id"]
    assert IdempotentExchange.objects.count() == 1


def test_a_replayed_stream_is_a_short_stream_of_the_stored_exchange(signed_in, book):
    first = sse_events(chat(signed_in, "s", stream=True))
    replay = chat(signed_in, "s", stream=True)
    assert replay["Content-Type"].startswith("text/event-stream")
    events = sse_events(replay)
    assert [name for name, _ in events] == ["sources", "delta", "done"]
    assert events[-1] == first[-1]  # same stored ids
    text = "".join(data["text"] for name, data in first if name == "delta")
    assert events[1][1]["text"] == text
    assert Message.objects.count() == 2


def test_a_replay_does_not_count_against_the_chat_limit(signed_in, book):
    from chatbot.views import CHAT_PER_USER

    chat(signed_in, "limit")
    for _ in range(int(CHAT_PER_USER.rate.split("/")[0]) + 5):
        assert chat(signed_in, "limit").status_code == 200


@pytest.mark.postgres  # SQLite's in-memory test database takes one writer thread at a time
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_store_one_exchange(book):
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    barrier, answers = threading.Barrier(4), []

    def post():
        client = client_of(user)
        barrier.wait()
        answers.append(chat(client, "twin"))
        connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200] * 4
    assert len({a.json()["answer"]["id"] for a in answers}) == 1
    assert Message.objects.count() == 2 and IdempotentExchange.objects.count() == 1
