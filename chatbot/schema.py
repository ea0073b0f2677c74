"""How the chat routes look in the OpenAPI document: the event stream, the Idempotency-Key,
their errors and examples."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from core.schema import errors

EVENT_STREAM = "text/event-stream"
# What one server-sent event of the stream holds, as a reader of the stream parses it.
STREAM_EVENT = inline_serializer(
    "ChatStreamEvent",
    {
        "event": serializers.ChoiceField(["delta", "reset", "sources", "done", "error"]),
        "data": serializers.CharField(help_text="One line of JSON."),
    },
)
STREAM = OpenApiResponse(
    STREAM_EVENT,
    description='With "stream": true, server-sent events, each with one line of JSON data:'
    ' "delta" ({"text"}: the next piece of the answer), "reset" ({}: forget the pieces so far),'
    ' "sources" ({"sources"}: the cited passages), then "done" ({"conversation_id",'
    ' "question_id", "answer_id", "generator"}: both messages are stored) or "error"'
    ' ({"detail", "code"}).',
    examples=[
        OpenApiExample(
            "An answer in pieces",
            value='event: sources\ndata: {"sources": [{"passage_id": 12, "score": 0.83}]}\n\n'
            'event: delta\ndata: {"text": "A humanoid keeps its balance by [1] "}\n\n'
            'event: done\ndata: {"conversation_id": "...", "question_id": "...",'
            ' "answer_id": "...", "generator": "extractive"}\n\n',
        )
    ],
)
ASK_ERRORS = errors(
    409,
    429,
    503,
    s409='The Idempotency-Key was used for another request (code "idempotency_conflict").',
    s429='Too many questions (code "rate_limited"); see Retry-After.',
)
IDEMPOTENCY = [
    OpenApiParameter(
        "Idempotency-Key",
        str,
        OpenApiParameter.HEADER,
        description="1 to 100 printable ASCII characters: a retry under it gets the stored"
        " exchange instead of a second answer.",
    ),
    OpenApiParameter(
        "Idempotent-Replayed",
        str,
        OpenApiParameter.HEADER,
        response=True,
        description='"true" on an answer replayed from an earlier request under the key.',
    ),
]
CHAT_EXAMPLES = [
    OpenApiExample(
        "Ask a question about the book",
        value={"question": "How does a humanoid robot keep its balance?", "stream": False},
        request_only=True,
    ),
    OpenApiExample(
        "Ask and read the answer as it is written",
        value={"question": "What is sim-to-real transfer?", "stream": True},
        request_only=True,
    ),
]
