"""Staff browse passages (read-only, searchable) and conversations with their messages."""

import pytest

from chatbot.models import Conversation, Message, Passage

pytestmark = pytest.mark.django_db


def test_passages_are_searchable_and_read_only(admin_client, book):
    response = admin_client.get("/admin/chatbot/passage/", {"q": "derivative"})
    assert response.status_code == 200
    assert "pid-control" in response.content.decode()
    assert "sensing-for-balance" not in response.content.decode()
    passage = Passage.objects.get(anchor="pid-control")
    assert admin_client.get("/admin/chatbot/passage/add/").status_code == 403
    page = admin_client.get(f"/admin/chatbot/passage/{passage.pk}/change/")
    assert page.status_code == 200 and 'name="text"' not in page.content.decode()
    assert admin_client.post(f"/admin/chatbot/passage/{passage.pk}/delete/").status_code == 403


def test_conversations_show_their_messages(admin_client, user):
    conversation = Conversation.objects.create(user=user, title="Balance talk")
    Message.objects.create(conversation=conversation, role="question", content="How to balance?")
    listing = admin_client.get("/admin/chatbot/conversation/", {"q": user.email})
    assert "Balance talk" in listing.content.decode()
    page = admin_client.get(f"/admin/chatbot/conversation/{conversation.pk}/change/")
    assert page.status_code == 200
    assert "How to balance?" in page.content.decode()
