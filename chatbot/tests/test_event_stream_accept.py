"""An SSE client's `Accept: text/event-stream` asks for the streamed answer, never a 406."""

import pytest

from chatbot.models import Conversation
from chatbot.tests.helpers import QUESTION, sse_events

pytestmark = pytest.mark.django_db

SSE = "text/event-stream"


def test_chat_accepting_only_the_event_stream_streams_it(signed_in, book):
    response = signed_in.post("/api/chat", {"question": QUESTION}, format="json", HTTP_ACCEPT=SSE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(SSE)
    names = [name for name, _ in sse_events(response)]
    assert names[0] == "sources" and names[-1] == "done"


def test_a_message_accepting_only_the_event_stream_streams_it(signed_in, book):
    conversation = Conversation.objects.create(user=signed_in.user)
    response = signed_in.post(
        f"/api/conversations/{conversation.pk}/messages",
        {"content": QUESTION},
        format="json",
        HTTP_ACCEPT=f"{SSE}; q=1, text/plain; q=0.5",
    )
    assert response.status_code == 200
    assert [name for name, _ in sse_events(response)][-1] == "done"
    assert conversation.messages.count() == 2


def test_an_error_before_the_stream_is_json(signed_in, book):
    response = signed_in.post("/api/chat", {"question": ""}, format="json", HTTP_ACCEPT=SSE)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "invalid"


def test_a_client_accepting_json_too_gets_what_it_asked_for(signed_in, book):
    response = signed_in.post(
        "/api/chat", {"question": QUESTION}, format="json", HTTP_ACCEPT=f"application/json, {SSE}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["answer"]["content"]
