"""The chatbot routes: conversations, messages, chat and search."""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chatbot.chat import chat_ask, chat_stream, stream_replay
from chatbot.conversations import (
    conversation_create,
    conversation_delete,
    conversation_get,
    conversation_rename,
    conversations_for_user,
    messages_for_conversation,
)
from chatbot.idempotency import Idempotency, idempotency_from, idempotent_replay
from chatbot.models import Conversation
from chatbot.negotiation import EventStreamNegotiation, accepts_only_event_stream
from chatbot.schema import ASK_ERRORS, CHAT_EXAMPLES, EVENT_STREAM, IDEMPOTENCY, STREAM
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

# Marks an answer that an Idempotency-Key replayed from what was stored.
REPLAYED = {"Idempotent-Replayed": "true"}


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


def _answer(
    request: Request,
    *,
    question: str,
    conversation: Conversation | None,
    stream: bool,
    serializer,
    status_code: int,
) -> Response | StreamingHttpResponse:
    """A stream when the body asks for one or the client accepts nothing else (an SSE
    client); else the whole exchange as JSON."""
    asked = {
        "question": question,
        "conversation": conversation,
        "idempotency": idempotency_from(request),
    }
    if stream or accepts_only_event_stream(request):
        return _answer_stream(request, **asked)
    return _answer_whole(request, **asked, serializer=serializer, status_code=status_code)


def _answer_whole(
    request: Request,
    *,
    question: str,
    conversation: Conversation | None,
    idempotency: Idempotency | None,
    serializer,
    status_code: int,
) -> Response:
    """Answer the question and store both messages before replying; a retry under the same
    Idempotency-Key gets the stored exchange (same ids, same status) and counts nothing."""
    if (stored := idempotent_replay(idempotency)) is not None:
        return Response(serializer(stored).data, status=status_code, headers=REPLAYED)
    _count_question(request)
    exchange = chat_ask(
        user=request.user, question=question, conversation=conversation, idempotency=idempotency
    )
    return Response(serializer(exchange).data, status=status_code)


def _answer_stream(
    request: Request,
    *,
    question: str,
    conversation: Conversation | None,
    idempotency: Idempotency | None,
) -> StreamingHttpResponse:
    """Stream the answer as server-sent events; the messages are stored when it ends. A
    retry under the same Idempotency-Key gets the stored exchange as a short stream."""
    if (stored := idempotent_replay(idempotency)) is not None:
        events, headers = stream_replay(stored), REPLAYED
    else:
        _count_question(request)
        events, headers = (
            chat_stream(
                user=request.user,
                question=question,
                conversation=conversation,
                idempotency=idempotency,
            ),
            {},
        )
    response = StreamingHttpResponse(
        events, content_type="text/event-stream; charset=utf-8", headers=headers
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
    content_negotiation_class = EventStreamNegotiation

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
        parameters=IDEMPOTENCY,
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
        return _answer(
            request,
            question=data.validated_data["content"],
            conversation=conversation,
            stream=data.validated_data["stream"],
            serializer=ExchangeSerializer,
            status_code=status.HTTP_201_CREATED,
        )


class ChatView(APIView):
    content_negotiation_class = EventStreamNegotiation

    @extend_schema(
        request=ChatSerializer,
        parameters=IDEMPOTENCY,
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
        return _answer(
            request,
            question=data.validated_data["question"],
            conversation=conversation,
            stream=data.validated_data["stream"],
            serializer=ChatExchangeSerializer,
            status_code=status.HTTP_200_OK,
        )


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
