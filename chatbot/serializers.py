"""Input validation and output shapes of the chatbot routes."""

from rest_framework import serializers

from chatbot.models import Conversation, Message

MAX_QUESTION_CHARS = 2000
MAX_QUERY_CHARS = 500
MAX_K = 50


class SourceSerializer(serializers.Serializer):
    """A cited passage; an answer's ``[n]`` is the n-th source."""

    passage_id = serializers.IntegerField()
    score = serializers.FloatField()
    heading_path = serializers.ListField(child=serializers.CharField())
    file = serializers.CharField()
    anchor = serializers.CharField()
    snippet = serializers.CharField()


class ConversationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversation
        fields = ("id", "title", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")


class ConversationTitleSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class ConversationRenameSerializer(serializers.Serializer):
    """A rename must name the title: a body without one would otherwise clear it."""

    title = serializers.CharField(max_length=200, allow_blank=True)


class MessageSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ("id", "role", "content", "sources", "generator", "created_at")


class ExchangeSerializer(serializers.Serializer):
    question = MessageSerializer()
    answer = MessageSerializer()


class ChatExchangeSerializer(ExchangeSerializer):
    conversation = ConversationSerializer()


class AskSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=MAX_QUESTION_CHARS)
    stream = serializers.BooleanField(default=False)


class ChatSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=MAX_QUESTION_CHARS)
    conversation_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    stream = serializers.BooleanField(default=False)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_CHARS)
    k = serializers.IntegerField(min_value=1, max_value=MAX_K, default=10)


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    retrieval = serializers.ChoiceField(choices=["hybrid", "lexical"])
    results = SourceSerializer(many=True)
