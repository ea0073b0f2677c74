"""Conversations belong to one user: every lookup here is scoped to that user."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from chatbot.models import Conversation, Message

TITLE_LENGTH = 80


def title_from_question(question: str) -> str:
    """The first question, on one line and cut at a word, names an untitled conversation."""
    line = " ".join(question.split())
    if len(line) <= TITLE_LENGTH:
        return line
    return line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def conversations_for_user(user: User) -> QuerySet[Conversation]:
    """The user's conversations, most recently active first."""
    return Conversation.objects.filter(user=user).order_by("-updated_at", "-id")


def conversation_get(*, user: User, conversation_id) -> Conversation:
    """The user's conversation; another user's id is as unknown as a made-up one (404)."""
    return get_object_or_404(Conversation, pk=conversation_id, user=user)


def conversation_create(*, user: User, title: str = "") -> Conversation:
    return Conversation.objects.create(user=user, title=title.strip())


def conversation_rename(*, conversation: Conversation, title: str) -> Conversation:
    conversation.title = title.strip()
    conversation.save(update_fields=["title", "updated_at"])
    return conversation


def conversation_delete(*, conversation: Conversation) -> None:
    """Messages go with it (on delete cascade)."""
    conversation.delete()


def messages_for_conversation(conversation: Conversation) -> QuerySet[Message]:
    """Oldest first, as a transcript reads."""
    return conversation.messages.order_by("created_at")


def conversation_history(conversation: Conversation | None, *, limit: int) -> list[Message]:
    """The last ``limit`` messages, oldest first, as context for a model."""
    if conversation is None or limit <= 0:
        return []
    return list(conversation.messages.order_by("-created_at")[:limit])[::-1]
