"""Answers through an OpenAI-compatible endpoint (a fake one on loopback), and the fallbacks."""

import pytest

from chatbot.answering import NOT_FOUND, _client
from chatbot.models import Conversation, Message
from chatbot.tests.helpers import QUESTION, ask, sse_events

pytestmark = pytest.mark.django_db

LLM_TEXT = "The IMU senses balance [1] and the feet feel pressure [1]."


def test_the_llm_answers_from_numbered_passages_and_recent_turns(signed_in, book, fake_llm):
    conversation = Conversation.objects.create(user=signed_in.user, title="t")
    for i in range(8):
        Message.objects.create(conversation=conversation, role="question", content=f"old {i}")
    answer = ask(signed_in, conversation_id=str(conversation.pk)).json()["answer"]
    assert answer["generator"] == "llm"
    assert answer["content"] == LLM_TEXT
    assert answer["sources"][0]["anchor"] == "sensing-for-balance"
    assert len(answer["sources"]) == 4
    request = fake_llm.requests[-1]
    assert request["model"] == "book-model"
    assert fake_llm.headers_seen[-1]["authorization"] == "Bearer test-key"
    system, *turns, last = request["messages"]
    assert system["role"] == "system"
    assert "Answer only from the numbered passages" in system["content"]
    assert "[1] Balance > Sensing for balance\n" in system["content"]
    assert "[4] " in system["content"] and "[5] " not in system["content"]
    # The last six messages of the conversation, oldest first, then the question.
    assert [t["content"] for t in turns] == [f"old {i}" for i in range(2, 8)]
    assert last == {"role": "user", "content": QUESTION}
    assert Message.objects.get(pk=answer["id"]).generator == "llm"


@pytest.mark.parametrize("mode", ["slow", "error"])
def test_a_timeout_or_server_error_falls_back_to_the_extractive_answer(
    signed_in, book, fake_llm, mode
):
    fake_llm.mode = mode
    answer = ask(signed_in).json()["answer"]
    assert answer["generator"] == "extractive"
    assert "inertial measurement unit" in answer["content"]
    assert len(fake_llm.requests) == 1  # no retries: one timeout is all it may cost


@pytest.mark.parametrize("stream", [False, True])
def test_a_model_trickling_past_the_timeout_falls_back(signed_in, book, fake_llm, stream):
    """LLM_TIMEOUT_SECONDS bounds the whole call, not each read of a slowly streamed answer."""
    fake_llm.chunks, fake_llm.seconds = [f"word{i} " for i in range(8)], 8 * 0.4
    response = ask(signed_in, stream=stream)
    if stream:
        events = sse_events(response)
        assert "reset" in [name for name, _ in events]
        answer = Message.objects.get(pk=events[-1][1]["answer_id"])
    else:
        answer = Message.objects.get(pk=response.json()["answer"]["id"])
    assert answer.generator == "extractive"
    assert "inertial measurement unit" in answer.content
    assert len(fake_llm.requests) == 1


def test_without_passages_the_llm_is_not_asked(signed_in, fake_llm):
    answer = ask(signed_in).json()["answer"]
    assert answer["content"] == NOT_FOUND
    assert not fake_llm.requests


def test_the_llm_stream_is_relayed_as_delta_events(signed_in, book, fake_llm):
    events = sse_events(ask(signed_in, stream=True))
    assert [name for name, _ in events] == ["sources", "delta", "delta", "done"]
    assert [data["text"] for name, data in events if name == "delta"] == fake_llm.chunks
    done = events[-1][1]
    assert done["generator"] == "llm"
    stored = Message.objects.get(pk=done["answer_id"])
    assert stored.content == LLM_TEXT
    assert stored.sources == events[0][1]["sources"]


def test_an_llm_failing_mid_stream_is_reset_and_answered_extractively(signed_in, book, fake_llm):
    fake_llm.mode = "break"
    events = sse_events(ask(signed_in, stream=True))
    names = [name for name, _ in events]
    assert names[:3] == ["sources", "delta", "reset"]
    assert names[3] == "sources" and names[-1] == "done"
    after_reset = events[4:-1]
    stored = Message.objects.get(pk=events[-1][1]["answer_id"])
    assert stored.generator == "extractive"
    assert "".join(data["text"] for _, data in after_reset) == stored.content
    assert stored.sources == events[3][1]["sources"]
    assert Message.objects.count() == 2


def test_one_model_client_serves_every_answer_of_a_configuration(settings, fake_llm):
    """Making a client costs about 17 ms of CPU: answers share one, per configuration."""
    first = _client()
    assert _client() is first
    settings.LLM_BASE_URL = fake_llm.url.replace("127.0.0.1", "localhost")
    assert _client() is not first
