"""Conversations and their messages: CRUD, pagination, and scoping to their owner."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from chatbot.models import Conversation, Message

pytestmark = pytest.mark.django_db


def make_conversation(user, title="A talk", **fields) -> Conversation:
    return Conversation.objects.create(user=user, title=title, **fields)


def test_create_with_and_without_a_title(signed_in):
    response = signed_in.post("/api/conversations", {"title": " Balance "}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "title", "created_at", "updated_at"}
    assert body["title"] == "Balance"
    assert Conversation.objects.get(pk=body["id"]).user == signed_in.user
    untitled = signed_in.post("/api/conversations", {}, format="json")
    assert untitled.status_code == 201 and untitled.json()["title"] == ""


def test_list_is_paginated_newest_first_and_only_mine(signed_in, other):
    now = timezone.now()
    for i in range(25):
        conversation = make_conversation(signed_in.user, title=f"c{i}")
        # updated_at is auto_now: set it past save() to fake 25 different ages.
        Conversation.objects.filter(pk=conversation.pk).update(
            updated_at=now - timedelta(minutes=25 - i)
        )
    make_conversation(other.user, title="not mine")
    first = signed_in.get("/api/conversations").json()
    assert first["count"] == 25
    assert [c["title"] for c in first["results"]] == [f"c{i}" for i in range(24, 4, -1)]
    assert first["previous"] is None
    second = signed_in.get(first["next"]).json()
    assert [c["title"] for c in second["results"]] == ["c4", "c3", "c2", "c1", "c0"]
    assert second["next"] is None
    small = signed_in.get("/api/conversations", {"page_size": 2}).json()
    assert len(small["results"]) == 2
    assert signed_in.get("/api/conversations", {"page": 9}).status_code == 404


def test_detail_rename_and_delete(signed_in):
    conversation = make_conversation(signed_in.user)
    Message.objects.create(conversation=conversation, role="question", content="Why?")
    url = f"/api/conversations/{conversation.pk}"
    assert signed_in.get(url).json()["title"] == "A talk"
    response = signed_in.patch(url, {"title": "Walking"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Walking"
    assert Conversation.objects.get(pk=conversation.pk).title == "Walking"
    assert signed_in.delete(url).status_code == 204
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
    assert signed_in.get(url).status_code == 404


def test_messages_are_listed_oldest_first_and_paginated(signed_in):
    conversation = make_conversation(signed_in.user)
    start = timezone.now()
    for i in range(55):
        role = "question" if i % 2 == 0 else "answer"
        Message.objects.create(
            conversation=conversation,
            role=role,
            content=f"m{i}",
            created_at=start + timedelta(seconds=i),
        )
    url = f"/api/conversations/{conversation.pk}/messages"
    first = signed_in.get(url).json()
    assert first["count"] == 55
    assert [m["content"] for m in first["results"]][:3] == ["m0", "m1", "m2"]
    assert len(first["results"]) == 50
    assert set(first["results"][0]) == {
        "id",
        "role",
        "content",
        "sources",
        "generator",
        "created_at",
    }
    assert [m["content"] for m in signed_in.get(first["next"]).json()["results"]] == [
        "m50",
        "m51",
        "m52",
        "m53",
        "m54",
    ]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"title": "mine now"}),
        ("delete", "", None),
        ("get", "/messages", None),
        ("post", "/messages", {"content": "What is balance?"}),
        ("post", "/messages", {"content": "What is balance?", "stream": True}),
    ],
)
def test_another_users_conversation_is_404_on_every_route(signed_in, other, method, suffix, body):
    conversation = make_conversation(other.user, title="theirs")
    Message.objects.create(conversation=conversation, role="question", content="secret")
    url = f"/api/conversations/{conversation.pk}{suffix}"
    response = getattr(signed_in, method)(url, body, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    conversation.refresh_from_db()
    assert conversation.title == "theirs"
    assert conversation.messages.count() == 1
    # An unknown id answers exactly the same.
    unknown = getattr(signed_in, method)(
        f"/api/conversations/{uuid.uuid4()}{suffix}", body, format="json"
    )
    assert (unknown.status_code, unknown.json()) == (response.status_code, response.json())


@pytest.mark.parametrize("stream", [False, True])
def test_chat_into_another_users_conversation_is_404(signed_in, other, stream):
    conversation = make_conversation(other.user)
    response = signed_in.post(
        "/api/chat",
        {"question": "What is balance?", "conversation_id": str(conversation.pk), "stream": stream},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Message.objects.exists()
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("post", "/api/conversations", {"title": "x" * 201}, "title"),
        ("post", "/api/chat", {}, "question"),
        ("post", "/api/chat", {"question": "   "}, "question"),
        ("post", "/api/chat", {"question": "x" * 2001}, "question"),
        ("post", "/api/chat", {"question": "Why?", "conversation_id": "nope"}, "conversation_id"),
        ("post", "/api/chat", {"question": "Why?", "stream": "maybe"}, "stream"),
        ("post", "{conversation}/messages", {}, "content"),
        ("post", "{conversation}/messages", {"content": ""}, "content"),
        ("patch", "{conversation}", {"title": "x" * 201}, "title"),
        ("patch", "{conversation}", {}, "title"),
    ],
)
def test_invalid_input_is_400(signed_in, method, url, body, field):
    conversation = make_conversation(signed_in.user)
    url = url.format(conversation=f"/api/conversations/{conversation.pk}")
    response = getattr(signed_in, method)(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()
    assert not Message.objects.exists()
    assert Conversation.objects.get(pk=conversation.pk).title == "A talk"
