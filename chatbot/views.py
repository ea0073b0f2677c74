"""The chatbot routes: conversations, messages, chat and search."""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chatbot.chat import Exchange, chat_ask, chat_stream
from chatbot.conversations import (
    conversation_create,
    conversation_delete,
    conversation_get,
    conversation_rename,
    conversations_for_user,
    messages_for_conversation,
)
from chatbot.models import Conversation
from chatbot.search import passages_search, source_data
from chatbot.serializers import (
    AskSerializer,
    ChatExchangeSerializer,
    ChatSerializer,
    ConversationRenameSerializer,
    ConversationSerializer,
    ConversationTitleSerializer,
    ExchangeSerializer,
    MessageSerializer,
    SearchQuerySerializer,
    SearchResultsSerializer,
)
from core.ratelimit import Limit, ratelimit_enforce
from core.schema import errors

CHAT_PER_USER = Limit("chat", "user", "30/m")
# A search costs one query embedding: 60 a minute keep one reader from filling the workers.
SEARCH_PER_USER = Limit("search", "user", "60/m")

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
ASK_ERRORS = errors(429, 503, s429='Too many questions (code "rate_limited"); see Retry-After.')
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


class ConversationPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class MessagePagination(ConversationPagination):
    page_size = 50


def _paginated(request: Request, view: APIView, queryset, serializer, paginator) -> Response:
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _count_question(request: Request) -> None:
    """Count the question against the user's limit before any retrieval work is done."""
    ratelimit_enforce(request=request._request, limits=[CHAT_PER_USER], user=request.user)


def _answer_whole(
    request: Request, *, question: str, conversation: Conversation | None
) -> Exchange:
    """Answer the question and store both messages before replying."""
    _count_question(request)
    return chat_ask(user=request.user, question=question, conversation=conversation)


def _answer_stream(
    request: Request, *, question: str, conversation: Conversation | None
) -> StreamingHttpResponse:
    """Stream the answer as server-sent events; the messages are stored when it ends."""
    _count_question(request)
    response = StreamingHttpResponse(
        chat_stream(user=request.user, question=question, conversation=conversation),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"  # the answer is user data
    # Proxies such as nginx would otherwise hold the deltas back until the end.
    response["X-Accel-Buffering"] = "no"
    return response


class ConversationListView(APIView):
    pagination_class = ConversationPagination

    @extend_schema(responses=ConversationSerializer(many=True))
    def get(self, request: Request) -> Response:
        return _paginated(
            request,
            self,
            conversations_for_user(request.user),
            ConversationSerializer,
            self.pagination_class(),
        )

    @extend_schema(request=ConversationTitleSerializer, responses={201: ConversationSerializer})
    def post(self, request: Request) -> Response:
        data = ConversationTitleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = conversation_create(user=request.user, **data.validated_data)
        return Response(ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)


class ConversationDetailView(APIView):
    @extend_schema(responses=ConversationSerializer)
    def get(self, request: Request, conversation_id) -> Response:
        conversation = conversation_get(user=request.user, conversation_id=conversation_id)
        return Response(ConversationSerializer(conversation).data)

    @extend_schema(request=ConversationRenameSerializer, responses=ConversationSerializer)
    def patch(self, request: Request, conversation_id) -> Response:
        conversation = conversation_get(user=request.user, conversation_id=conversation_id)
        data = ConversationRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = conversation_rename(conversation=conversation, **data.validated_data)
        return Response(ConversationSerializer(conversation).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, conversation_id) -> Response:
        conversation = conversation_get(user=request.user, conversation_id=conversation_id)
        conversation_delete(conversation=conversation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageListView(APIView):
    pagination_class = MessagePagination

    @extend_schema(responses=MessageSerializer(many=True))
    def get(self, request: Request, conversation_id) -> Response:
        conversation = conversation_get(user=request.user, conversation_id=conversation_id)
        return _paginated(
            request,
            self,
            messages_for_conversation(conversation),
            MessageSerializer,
            self.pagination_class(),
        )

    @extend_schema(
        request=AskSerializer,
        responses={
            (201, "application/json"): ExchangeSerializer,
            (200, EVENT_STREAM): STREAM,
            **ASK_ERRORS,
        },
    )
    def post(self, request: Request, conversation_id) -> Response | StreamingHttpResponse:
        conversation = conversation_get(user=request.user, conversation_id=conversation_id)
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = data.validated_data["content"]
        if data.validated_data["stream"]:
            return _answer_stream(request, question=question, conversation=conversation)
        exchange = _answer_whole(request, question=question, conversation=conversation)
        return Response(ExchangeSerializer(exchange).data, status=status.HTTP_201_CREATED)


class ChatView(APIView):
    @extend_schema(
        request=ChatSerializer,
        responses={
            (200, "application/json"): ChatExchangeSerializer,
            (200, EVENT_STREAM): STREAM,
            **ASK_ERRORS,
            **errors(404, s404="conversation_id names no conversation of yours."),
        },
        examples=CHAT_EXAMPLES,
    )
    def post(self, request: Request) -> Response | StreamingHttpResponse:
        data = ChatSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation_id = data.validated_data["conversation_id"]
        conversation = (
            conversation_get(user=request.user, conversation_id=conversation_id)
            if conversation_id
            else None
        )
        question = data.validated_data["question"]
        if data.validated_data["stream"]:
            return _answer_stream(request, question=question, conversation=conversation)
        exchange = _answer_whole(request, question=question, conversation=conversation)
        return Response(ChatExchangeSerializer(exchange).data)


class SearchView(APIView):
    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultsSerializer, **errors(429, 503)},
    )
    def get(self, request: Request) -> Response:
        ratelimit_enforce(request=request._request, limits=[SEARCH_PER_USER], user=request.user)
        data = SearchQuerySerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        query = data.validated_data["q"]
        results, mode = passages_search(query=query, k=data.validated_data["k"])
        return Response(
            {"query": query, "retrieval": mode, "results": [source_data(r) for r in results]}
        )
